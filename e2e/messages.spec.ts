import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Db } from "@/lib/db/prisma";
import { registerAttendee } from "@/lib/orders/register";
import { signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

// Issue 19: an organiser writes to the attendees who came (checked in), in both languages; each receives it in the
// language they registered in, with their name and a link to their own ticket, and nobody else receives it.

// The captured emails whose raw text carries `marker`: their recipients.
function recipientsOf(marker: string): string[] {
  const dir = process.env.MAIL_CAPTURE_DIR!;
  return readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => readFileSync(path.join(dir, name), "utf8"))
    .filter((raw) => raw.includes(marker))
    .map((raw) => /^To: (.+)$/m.exec(raw)?.[1].trim() ?? "");
}

// Two attendees registered from /fr and two from /en, one of each checked in.
async function fourAttendees(db: Db, slug: string) {
  const people = [];
  for (const [firstName, locale, checkedIn] of [
    ["Camille", "fr", true],
    ["Dominique", "fr", false],
    ["Grace", "en", true],
    ["Alan", "en", false],
  ] as const) {
    const email = uniqueEmail(firstName.toLowerCase());
    const result = await registerAttendee(
      db,
      slug,
      { ticketType: "free", attendee: { firstName, lastName: "Test", email }, locale },
      { holdMinutes: 35 },
    );
    if (!result.ok) throw new Error(result.reason);
    if (checkedIn)
      await db.ticket.updateMany({ where: { orderId: result.order.id }, data: { checkedInAt: new Date() } });
    people.push({ firstName, locale, checkedIn, email });
  }
  return people;
}

test("an organiser sends a message to checked-in attendees only, each in their language (en back office)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 20 });
  const people = await fourAttendees(db, edition.slug);
  const marker = `room-${Date.now().toString(36)}`;

  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}`);
  await page.getByRole("link", { name: "Messages" }).first().click();
  await page.getByRole("link", { name: "Write a message" }).click();
  await page.getByLabel("Checked in").selectOption({ label: "Yes" });
  await expect(page.getByLabel("Status")).toHaveValue("confirmed");

  // The same start from the attendee list: its filters carry over to the message.
  await page.goto(`/admin/editions/${edition.slug}/attendees?checkedIn=yes`);
  await page.getByRole("link", { name: "Write to these attendees" }).click();
  await expect(page.getByLabel("Checked in")).toHaveValue("yes");
  await expect(page.getByLabel("Status")).toHaveValue("confirmed");
  await page.getByLabel("Subject in French").fill(`Changement de salle pour {{ first_name }} ${marker}`);
  await page.getByLabel("Message in French").fill("La keynote a lieu en salle B. [Votre billet]({{ ticket_url }})");
  await page.getByLabel("Subject in English").fill(`Room move for {{ first_name }} ${marker}`);
  await page.getByLabel("Message in English").fill("The keynote is in room B. [Your ticket]({{ ticket_url }})");
  await page.getByRole("button", { name: "Save draft" }).click();

  // The draft is edited once: its filter and texts come back in the form.
  await page.getByRole("link", { name: "Edit the message" }).click();
  await expect(page.getByLabel("Checked in")).toHaveValue("yes");
  // A placeholder left open is quoted whole in the refusal, commas and all.
  await page.getByLabel("Subject in English").fill("Room change {{ first_name, see you soon");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("“{{ first_name, see you soon”")).toBeVisible();
  await page.getByLabel("Subject in English").fill(`Room change for {{ first_name }} ${marker}`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("message-preview")).toHaveText("2 people: 1 in French, 1 in English, 0 opted out.");
  // The page says whom it chose, in the composer's words, and who wrote it; nothing to stop in a draft.
  await expect(page.getByTestId("message-audience")).toHaveText("Attendees");
  await expect(page.getByTestId("message-filter")).toHaveText("Registration status: Confirmed · Checked in: Yes");
  await expect(page.getByTestId("message-author")).toContainText("@");
  await expect(page.getByRole("button", { name: "Stop sending" })).toHaveCount(0);
  // Written in both languages: no note about the other language's readers.
  await expect(page.getByTestId("message-one-language")).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("message-draft.png"), fullPage: true });
  // Not inside the preview frame: it runs no script, so axe cannot run there (the layout has its own checks).
  const { violations } = await new AxeBuilder({ page }).exclude(".email-preview-frame iframe").analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual(
    [],
  );

  page.once("dialog", (dialog) => {
    expect(dialog.message()).toBe("Send to 2 people now?");
    return dialog.accept();
  });
  await page.getByRole("button", { name: "Send now" }).click();
  await expect(page.getByTestId("message-status")).toHaveText("Sent");
  await expect(page.getByTestId("message-progress")).toContainText("2 sent, 0 failed, 0 pending", { timeout: 30_000 });
  await expect(page.getByTestId("message-filter")).toHaveText("Registration status: Confirmed · Checked in: Yes");
  await expect(page.getByTestId("message-sent-at")).toHaveText(
    /^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} [AP]M \(Paris time\)$/,
  );
  // Every email delivered: nothing left to stop.
  await expect(page.getByRole("button", { name: "Stop sending" })).toHaveCount(0);
  await expect(page.getByText("refreshes by itself every 5 seconds")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("message-sent.png"), fullPage: true });

  // The list on a phone: one short row per message, the page itself never wider than the screen.
  await page.getByRole("link", { name: "All messages" }).click();
  const row = page.getByTestId("messages").locator("tbody tr").first();
  await expect(row).toContainText("2 sent of 2");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath("messages-list-390.png"), fullPage: true });
  expect((await row.boundingBox())?.height).toBeLessThan(120);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: test.info().outputPath("messages-list-1280.png"), fullPage: true });

  // A standing message is stopped from the settings, not from its page.
  const standing = await db.message.create({
    data: { editionId: edition.id, kind: "PRACTICAL_INFO", audience: "ATTENDEES", essential: true, status: "QUEUED" },
  });
  await page.goto(`/admin/editions/${edition.slug}/messages/${standing.id}`);
  await expect(page.getByRole("button", { name: "Stop sending" })).toHaveCount(0);
  await page.getByTestId("message-standing").getByRole("link").click();
  await expect(page).toHaveURL(/\/settings#reminders-title$/);

  let optOutLink: string | undefined;
  for (const person of people.filter((person) => person.checkedIn)) {
    const subject = person.locale === "fr" ? "Changement de salle pour" : "Room change for";
    const mail = await waitForEmailTo(person.email, { subject: `${subject} ${person.firstName} ${marker}` });
    expect(mail.text).toContain(person.locale === "fr" ? "salle B" : "room B");
    // The link the address already holds: a solo registrant's is their order's page, which shows their ticket.
    const ticketLink = mail.text?.match(/https?:\/\/\S+\/(orders|tickets)\/[A-Za-z0-9_.-]+/)?.[0];
    expect(ticketLink).toBeTruthy();
    const ticketPage = await context.newPage();
    await ticketPage.goto(new URL(ticketLink!).pathname);
    await expect(ticketPage.getByText(`${person.firstName} Test`).first()).toBeVisible();
    await ticketPage.close();
    if (person.locale === "en")
      optOutLink = mail.text?.match(/https?:\/\/\S+\/email-preferences\/[A-Za-z0-9_.-]+/)?.[0];
  }
  // Every email of the message was sent (the page said so): the two who did not come received none.
  expect(recipientsOf(marker).sort()).toEqual(
    people
      .filter((person) => person.checkedIn)
      .map((person) => person.email)
      .sort(),
  );

  // The footer's link: the attendee stops the organisers' news, then takes it back; the one-click POST answers 200.
  expect(optOutLink).toBeTruthy();
  const preferences = new URL(optOutLink!).pathname;
  await page.goto(preferences);
  await expect(page.getByTestId("email-preferences-state")).toHaveText(
    "This address receives news from the organisers.",
  );
  await page.getByRole("button", { name: "Stop receiving news from the organisers" }).click();
  await expect(page.getByTestId("email-preferences-state")).toHaveText(
    "This address no longer receives news from the organisers.",
  );
  const prefs = await new AxeBuilder({ page }).analyze();
  expect(
    prefs.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical"),
  ).toEqual([]);
  await page.getByRole("button", { name: "Receive them again" }).click();
  await expect(page.getByTestId("email-preferences-state")).toHaveText(
    "This address receives news from the organisers.",
  );
  const token = preferences.split("/").pop()!;
  const oneClick = await page.request.post(`/api/v1/email-opt-out/${token}`, {
    form: { "List-Unsubscribe": "One-Click" },
  });
  expect(oneClick.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("email-preferences-state")).toHaveText(
    "This address no longer receives news from the organisers.",
  );
});

test("in a French back office, a message written only in French reaches both languages, previewed as sent", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 20 });
  const people = await fourAttendees(db, edition.slug);
  const marker = `salle-${Date.now().toString(36)}`;

  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}`);
  await page.getByRole("link", { name: "Messages" }).first().click();
  await page.getByRole("link", { name: "Écrire un message" }).click();
  await page.getByLabel("Entré").selectOption({ label: "Oui" });
  await page.getByLabel("Objet en français").fill(`Salle B pour {{ first_name }} ${marker}`);
  await page
    .getByLabel("Message en français")
    .fill("La keynote a lieu en **salle B**. [Votre billet]({{ ticket_url }})");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await expect(page.getByTestId("message-preview")).toHaveText(
    /^2 personnes\s:\s1 en français, 1 en anglais, 0 désinscrit\.$/,
  );
  await expect(page.getByTestId("message-filter")).toHaveText(/^État de l’inscription\s:\sConfirmé · Entré\s:\sOui$/);
  await expect(page.getByTestId("message-one-language")).toHaveText(
    /^Rédigé en français seulement\s:\s1 destinataire qui lit l’anglais reçoit le texte français, avec le pied de page/,
  );

  // The email itself, per language, as its first recipient would receive it: the English one reads the French text.
  for (const [language, name] of [
    ["fr", "Camille"],
    ["en", "Grace"],
  ]) {
    const preview = page.getByTestId(`email-preview-${language}`);
    await expect(preview.getByTestId("email-preview-subject")).toHaveText(`Salle B pour ${name} ${marker}`);
    const email = preview.frameLocator("iframe");
    await expect(email.locator("p", { hasText: "La keynote a lieu en salle B." })).toBeVisible();
    await expect(email.getByRole("link", { name: "Votre billet" })).toHaveAttribute("href", /\/orders\//);
  }
  const frame = page.getByTestId("email-preview-fr").locator("iframe");
  await expect(frame).toHaveAttribute("sandbox", "");
  // The preview opens at a phone's width.
  await expect(page.getByRole("button", { name: "Téléphone" })).toHaveAttribute("aria-pressed", "true");
  expect((await frame.boundingBox())?.width).toBeLessThanOrEqual(392);
  await page.getByTestId("email-preview-fr").screenshot({ path: test.info().outputPath("email-preview-phone.png") });
  await page.screenshot({ path: test.info().outputPath("message-draft-fr-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath("message-draft-fr-390.png"), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // On the phone itself the frame fits the screen whole rather than being cut.
  const onPhone = await frame.boundingBox();
  expect(onPhone!.x).toBeGreaterThanOrEqual(0);
  expect(onPhone!.x + onPhone!.width).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Ordinateur" }).click();
  await page.getByTestId("email-preview-en").screenshot({ path: test.info().outputPath("email-preview-desktop.png") });
  // Not inside the preview frame: it runs no script, so axe cannot run there (the layout has its own checks).
  const { violations } = await new AxeBuilder({ page }).exclude(".email-preview-frame iframe").analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual(
    [],
  );

  page.once("dialog", (dialog) => {
    expect(dialog.message()).toMatch(/^Envoyer à 2 personnes maintenant\s\?$/);
    return dialog.accept();
  });
  await page.getByRole("button", { name: "Envoyer maintenant" }).click();
  await expect(page.getByTestId("message-status")).toHaveText("Envoyé");
  await expect(page.getByTestId("message-progress")).toContainText("2 envoyés, 0 en échec, 0 en attente", {
    timeout: 30_000,
  });
  await expect(page.getByTestId("message-sent-at")).toHaveText(
    /^\d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2} \(heure de .+\)$/,
  );

  // The recipients table: both sent, each in their language; the filter lives in the query string.
  const table = page.getByTestId("message-recipients");
  await expect(table.locator("tbody tr")).toHaveCount(2);
  for (const person of people.filter((person) => person.checkedIn)) {
    const row = table.locator("tbody tr", { hasText: person.email });
    await expect(row).toContainText(person.locale === "fr" ? "Français" : "Anglais");
    await expect(row).toContainText(/Envoyé le \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  }
  await page.getByTestId("recipient-states").getByRole("link", { name: "En échec (0)" }).click();
  await expect(page).toHaveURL(/state=failed/);
  await expect(page.getByText("Aucun destinataire dans cet état.")).toBeVisible();
  await page.getByTestId("recipient-states").getByRole("link", { name: "Envoyé (2)" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await page.goto(`${new URL(page.url()).pathname}?state=rebondi&page=-1`);
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath("message-sent-fr-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath("message-sent-fr-390.png"), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // A recipient is one line; the table scrolls sideways inside its region.
  expect((await table.locator("tbody tr").first().boundingBox())?.height).toBeLessThan(60);

  for (const person of people.filter((person) => person.checkedIn)) {
    const mail = await waitForEmailTo(person.email, { subject: `Salle B pour ${person.firstName} ${marker}` });
    expect(mail.text).toContain("La keynote a lieu en");
  }
  expect(recipientsOf(marker).sort()).toEqual(
    people
      .filter((person) => person.checkedIn)
      .map((person) => person.email)
      .sort(),
  );
});
