import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { postServerAction, signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

// Issue 19: an organiser rewrites the French "you joined the waiting list" email of an edition in the back office (in
// French). A wrong placeholder is refused by name, the preview shows the draft, the saved wording is what the next
// French email says while the English one keeps the app's, and a reset brings the app's wording back.

// The preview's frame is left out: it runs no script, so axe cannot enter it, and the layout is checked by
// lib/templates/layout.test.ts.
async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).exclude('[data-testid="template-preview"]').analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

async function screenshots(page: Page, name: string, ready: () => Promise<void> = async () => {}) {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    await ready();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("an organiser rewrites the waiting list's French email, previews it, sends it, then resets it", async ({
  page,
  context,
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 1 });
  const taken = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("tpl-first") } },
  });
  expect(taken.status()).toBe(201);
  const join = async (name: string, locale: "fr" | "en") => {
    const email = uniqueEmail(`tpl-${locale}`);
    const joined = await request.post(`/api/v1/editions/${edition.slug}/waiting-list`, {
      data: { name, email, locale, seats: 1, ticketTypes: ["free"] },
    });
    expect(joined.status()).toBe(201);
    return email;
  };
  const marker = `tpl-${Date.now().toString(36)}`;
  const stored = () => db.emailTemplate.count({ where: { editionId: edition.id } });

  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/emails`);
  await page.getByRole("link", { name: "Textes des e-mails" }).click();
  await expect(page.getByTestId("templates").getByRole("listitem")).toHaveCount(11);
  await expectNoSeriousViolations(page);
  await screenshots(page, "templates-list");
  await page.getByRole("link", { name: /^Modifier le texte français.+liste d’attente.+inscription$/ }).click();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("liste d’attente");
  await expect(page.getByLabel("Objet")).toHaveValue("Vous êtes sur la liste d’attente pour {{ edition_name }}");
  await expect(page.getByTestId("placeholders")).toContainText("{{ position }}");
  await expect(page.getByTestId("placeholders")).toContainText(edition.nameFr);

  // A placeholder this email does not have, and one left open: both named under their field, nothing saved.
  await page.getByLabel("Objet").fill(`Bienvenue {{ surnom }} ${marker}`);
  await page.getByLabel("Message (Markdown)").fill("Bonjour {{ first_name, vous êtes bien inscrit.");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Rien n’a été enregistré", { exact: false })).toBeVisible();
  await expect(page.locator("#template-subject-error")).toContainText("surnom");
  await expect(page.locator("#template-body-error")).toContainText("{{ first_name,");
  await expect(page.getByLabel("Objet")).toHaveValue(`Bienvenue {{ surnom }} ${marker}`);
  expect(await stored()).toBe(0);
  await expectNoSeriousViolations(page);
  await screenshots(page, "template-refused");

  // Two refusals on one field, each on its own line; a refused preview says the preview failed, not the saving.
  await page.getByLabel("Objet").fill(`Bienvenue ${marker}`);
  await page.getByLabel("Message (Markdown)").fill("Bonjour {{ oops, [notre site](/programme).");
  await page.getByRole("button", { name: "Aperçu" }).click();
  await expect(page.getByText("L’aperçu n’a pas pu être affiché\u00a0: corrigez les champs indiqués.")).toBeVisible();
  await expect(page.getByText("Rien n’a été enregistré", { exact: false })).toHaveCount(0);
  await expect(page.locator("#template-body-error li")).toHaveText([
    /^Un champ de fusion n’est pas fermé par \}\}\. Refusé\s: \{\{ oops/,
    /^Les liens doivent commencer par https:\/\/, http:\/\/, mailto: ou tel:\. Refusé\s: \/programme$/,
  ]);
  await expect(page.getByLabel("Message (Markdown)")).toHaveAccessibleDescription(/fermé par \}\}.+Les liens/);
  await expect(page.getByTestId("template-preview")).toHaveCount(0);
  expect(await stored()).toBe(0);

  // The preview draws the draft as typed, with sample values, and saves nothing.
  const subject = `Bienvenue sur la liste de {{ edition_name }} ${marker}`;
  await page.getByLabel("Objet").fill(subject);
  await page
    .getByLabel("Message (Markdown)")
    .fill("Bonjour {{ first_name }},\n\nVous êtes **n° {{ position }}** : merci de patienter avec nous.");
  await page.getByRole("button", { name: "Aperçu" }).click();
  await expect(page.getByTestId("template-preview-subject")).toHaveText(
    `Bienvenue sur la liste de ${edition.nameFr} ${marker}`,
  );
  const frame = page.frameLocator('[data-testid="template-preview"]');
  await expect(frame.getByText("Bonjour Camille,")).toBeVisible();
  await expect(frame.locator("strong")).toHaveText("n° 3");
  expect(await stored()).toBe(0);
  await expectNoSeriousViolations(page);
  await screenshots(page, "template-preview", async () => {
    await expect(frame.getByText("Bonjour Camille,")).toBeVisible();
    // A full-page capture may leave a sandboxed frame (its own process) blank: the frame alone, as it shows.
    const size = page.viewportSize()!.width;
    await page
      .getByTestId("template-preview")
      .screenshot({ path: test.info().outputPath(`preview-frame-${size}.png`) });
  });

  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("status")).toHaveText("Texte enregistré : les prochains e-mails l’utilisent.");
  await expect(page.getByLabel("Objet")).toHaveValue(subject);
  await expect(page.getByText("personnalisé")).toBeVisible();
  expect(await stored()).toBe(1);
  await screenshots(page, "template-saved");

  // The app sends it: the French person gets the new wording, the English one the app's.
  const french = await join("Camille Durand", "fr");
  const english = await join("Grace Hopper", "en");
  const frMail = await waitForEmailTo(french, { subject: `Bienvenue sur la liste de ${edition.nameFr} ${marker}` });
  expect(frMail.text).toContain("merci de patienter avec nous");
  expect(frMail.text).toContain("Bonjour Camille Durand,");
  const enMail = await waitForEmailTo(english, { subject: `You are on the waiting list for ${edition.nameEn}` });
  expect(enMail.text).not.toContain(marker);

  // Back to the app's wording (confirmed): the next French email has it again.
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revenir au texte par défaut" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Retour au texte de l’application : les prochains e-mails l’utilisent.",
  );
  await expect(page.getByLabel("Objet")).toHaveValue("Vous êtes sur la liste d’attente pour {{ edition_name }}");
  await expect(page.getByRole("button", { name: "Revenir au texte par défaut" })).toHaveCount(0);
  expect(await stored()).toBe(0);
  const again = await join("Dominique Petit", "fr");
  const defaultMail = await waitForEmailTo(again, {
    subject: `Vous êtes sur la liste d’attente pour ${edition.nameFr}`,
  });
  expect(defaultMail.text).not.toContain("merci de patienter avec nous");
});

test("the editor refuses what names no email, no language or no edition, and whoever may not manage editions", async ({
  page,
  context,
  playwright,
  baseURL,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 5 });
  await signInAs(context, "ORGANISER");
  const editor = `/admin/editions/${edition.slug}/emails/templates`;
  expect((await page.goto(`${editor}/waitlist_joined?locale=fr`))?.status()).toBe(200);
  expect((await page.goto(`${editor}/sign_in_link?locale=fr`))?.status()).toBe(404);
  expect((await page.goto(`${editor}/waitlist_joined?locale=de`))?.status()).toBe(404);
  expect(
    (await page.goto(`/admin/editions/no-such-edition/emails/templates/waitlist_joined?locale=fr`))?.status(),
  ).toBe(404);

  // The preview's action, posted directly: a bad kind, language or edition is refused, and so is check-in staff.
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const actionId = Object.entries(manifest.node).find(
    ([, entry]) =>
      entry.filename.endsWith("emails/templates/actions.ts") && entry.exportedName === "previewTemplateAction",
  )![0];
  const fields = {
    editionId: edition.id,
    editionSlug: edition.slug,
    kind: "waitlist_joined",
    locale: "fr",
    subject: "Bonjour",
    body: "Bonjour {{ first_name }}",
  };
  const preview = async (role: "ORGANISER" | "CHECKIN_STAFF", change: Partial<typeof fields>) => {
    const caller = await playwright.request.newContext({ baseURL });
    await signInAs(caller, role);
    const response = await postServerAction(caller, {
      path: `${editor}/waitlist_joined?locale=fr`,
      actionId,
      origin: baseURL!,
      fields: { ...fields, ...change },
    });
    const body = await response.text();
    await caller.dispose();
    return body;
  };
  expect(await preview("ORGANISER", {})).toContain("Bonjour Camille");
  expect(await preview("ORGANISER", { kind: "sign_in_link" })).toContain('"message":"invalid"');
  expect(await preview("ORGANISER", { locale: "de" })).toContain('"message":"invalid"');
  expect(await preview("ORGANISER", { editionId: randomUUID() })).toContain('"message":"not_found"');
  expect(await preview("CHECKIN_STAFF", {})).toContain('"message":"forbidden"');
  expect(await db.emailTemplate.count({ where: { editionId: edition.id } })).toBe(0);

  await signInAs(context, "CHECKIN_STAFF");
  await page.goto(`${editor}/waitlist_joined?locale=fr`);
  await expect(page).toHaveURL(/\/admin\/forbidden$/);
});
