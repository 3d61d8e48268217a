import type { Page, TestInfo } from "@playwright/test";
import { account, signInAs } from "./support/back-office";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { orderLinkIn, waitForEmailTo } from "./support/mailbox";
import { fillAttendee, LABELS } from "./support/registration-form";

const NBSP = "\u00a0";
const CHANGED_SUBJECT = "Your registration for Open Cloud Paris #12: email address changed";
const shot = (page: Page, info: TestInfo, name: string) =>
  page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });

async function payWith(page: Page, card: string, labels: { number: string; expiry: string }) {
  await page.getByLabel(labels.number).fill(card);
  await page.getByLabel(labels.expiry).fill("12/34");
  await page.getByLabel("CVC").fill("123");
}

test("cancel and go back says the seat was released; the paid confirmation shows email, answers, VAT (fr)", async ({
  page,
  db,
}, info) => {
  const email = uniqueEmail("edges-fr");
  await page.goto(`/fr/editions/${DEMO_EDITION}/register?ticket=standard`);
  await expect(page).toHaveTitle("Inscription · Open Cloud Paris #12 · Guichet");
  // The hold note follows the ticket chosen: a paid one holds the seat, a free one does not.
  const heldNote = page.getByText("Les billets payants vous sont réservés");
  await expect(heldNote).toBeVisible();
  await page.getByRole("radio", { name: /Communauté/ }).check();
  await expect(heldNote).toHaveCount(0);
  await shot(page, info, "register-fr-free-chosen");
  await page.getByRole("radio", { name: /Standard/ }).check();
  await expect(heldNote).toBeVisible();

  await fillAttendee(page, "fr", { firstName: "Katherine", lastName: "Johnson", email });
  await page.getByLabel("Taille de t-shirt").selectOption("m");
  await page.getByLabel("Régime alimentaire ou allergies").fill("Végétarien");
  await page.getByRole("checkbox", { name: LABELS.fr.coc }).check();
  await page.getByRole("button", { name: LABELS.fr.submit }).click();
  await expect(page.getByRole("heading", { name: "Paiement (mode test)" })).toBeVisible();
  await page.getByRole("link", { name: "Annuler et revenir" }).click();

  await expect(page).toHaveURL(/\/fr\/editions\/open-cloud-paris-12\/register\?ticket=standard&from=/);
  const released = "Paiement annulé : rien n’a été débité et votre place a été libérée.";
  await expect(page.getByRole("status").filter({ hasText: released })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Prénom", exact: true })).toHaveValue("Katherine");
  await shot(page, info, "register-fr-after-cancel");
  // Without coming back from a cancelled payment, no such message.
  await page.goto(`/fr/editions/${DEMO_EDITION}/register`);
  await expect(page.getByText("Paiement annulé")).toHaveCount(0);
  await page.goBack();

  await page.getByRole("checkbox", { name: LABELS.fr.coc }).check();
  await page.getByRole("button", { name: LABELS.fr.submit }).click();
  await payWith(page, "4242 4242 4242 4242", { number: "Numéro de carte", expiry: "Expiration (MM/AA)" });
  await page.getByRole("button", { name: /^Payer/ }).click();
  const confirmed = page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" });
  await expect(confirmed).toBeVisible({ timeout: 15_000 });
  await expect(page).toHaveTitle("Votre billet · Open Cloud Paris #12 · Guichet");
  await expect(page.getByText(`Votre billet a été envoyé par e-mail à ${email}.`)).toBeVisible();
  const summary = page.locator(".summary").first();
  await expect(summary).toContainText(`Total payé (TTC)49,00${NBSP}€`);
  await expect(summary).toContainText(`dont TVA (20${NBSP}%)8,17${NBSP}€`);
  const answers = page.locator(".answers");
  await expect(answers).toContainText("Taille de t-shirtM");
  await expect(answers).toContainText("Régime alimentaire ou allergiesVégétarien");
  await expect(answers).toContainText("J’accepte le code de conduite de la conférenceOui");
  await shot(page, info, "order-fr-paid-desktop");
  // The page and the emailed receipt agree.
  const mail = await waitForEmailTo(email);
  expect(mail.text).toContain(`dont TVA (20${NBSP}%) : 8,17${NBSP}€`);
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: email, status: "CONFIRMED" } });
  expect(order.amountCents).toBe(4900);
});

test("an attendee corrects their email: the new address gets the ticket and link, the old one is told (en)", async ({
  page,
  request,
  db,
}, info) => {
  const email = uniqueEmail("edges-old");
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "community",
      attendee: { firstName: "Mary", lastName: "Jackson", email },
      answers: { coc: true, tshirt: "s" },
      locale: "en",
    },
  });
  expect(created.status()).toBe(201);
  const link = orderLinkIn(await waitForEmailTo(email));
  await page.goto(link);
  await expect(page).toHaveTitle("Your ticket · Open Cloud Paris #12 · Guichet");
  await expect(page.getByText(`Your ticket was emailed to ${email}.`)).toBeVisible();
  await expect(page.locator(".answers")).toContainText("T-shirt sizeS");

  await page.getByText("Your details", { exact: true }).click();
  const field = page.locator("#details-attendee-email");
  await expect(field).toHaveValue(email);
  await expect(field).toHaveAccessibleDescription(/A new address gets your ticket and a new private link/);
  await field.fill("not-an-address");
  await page.getByRole("button", { name: "Save my details" }).click();
  await expect(field).toHaveAccessibleDescription(/Enter a valid email address/);
  await shot(page, info, "order-en-email-invalid");
  const corrected = uniqueEmail("edges-new");
  await field.fill(corrected.toUpperCase());
  await page.getByRole("button", { name: "Save my details" }).click();
  const saved = `Saved. Your ticket and a new private link are on their way to ${corrected}.`;
  await expect(page.getByRole("status").filter({ hasText: saved })).toBeVisible();
  await shot(page, info, "order-en-email-changed");
  expect((await page.goto(link))?.status()).toBe(404);

  const notice = await waitForEmailTo(email, { subject: CHANGED_SUBJECT });
  expect(notice.text).toContain("was changed from its private link");
  expect(notice.text).not.toContain(corrected);
  const ticketMail = await waitForEmailTo(corrected);
  expect(ticketMail.subject).toBe("Your ticket for Open Cloud Paris #12");
  await page.goto(orderLinkIn(ticketMail));
  await expect(page.getByText(`Your ticket was emailed to ${corrected}.`)).toBeVisible();
  const ticket = await db.ticket.findFirstOrThrow({ where: { email: corrected } });
  expect(ticket.codeVersion).toBe(2);
});

test("an organiser corrects an attendee's email from Edit details; internationalised addresses register", async ({
  page,
  context,
  request,
  db,
}, info) => {
  // A person types an address with an accent: it is accepted, as typed, lower-cased.
  const local = `josé.${Date.now().toString(36)}`;
  await page.goto(`/fr/editions/${DEMO_EDITION}/register?ticket=community`);
  await fillAttendee(page, "fr", { firstName: "José", lastName: "Martínez", email: `${local}@Exemple.fr` });
  await page.getByRole("checkbox", { name: LABELS.fr.coc }).check();
  await page.getByRole("button", { name: LABELS.fr.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
  await expect(page.getByText(`Votre billet a été envoyé par e-mail à ${local}@exemple.fr.`)).toBeVisible();

  const email = uniqueEmail("edges-typo");
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "community",
      attendee: { firstName: "Ada", lastName: "Typo", email },
      answers: { coc: true },
      locale: "en",
    },
  });
  expect(created.status()).toBe(201);
  const ticket = await db.ticket.findFirstOrThrow({ where: { email } });
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${DEMO_EDITION}/attendees/${ticket.id}`);
  const field = page.locator("#attendee-attendee\\.email");
  await expect(field).toHaveValue(email);
  // One seat per email: José's address is taken.
  await field.fill(`${local}@exemple.fr`);
  await page.getByRole("button", { name: /^(Save|Enregistrer)$/ }).click();
  await expect(page.getByRole("alert").filter({ hasText: /already has a seat|déjà une place/ })).toBeVisible();
  const fixedAddress = uniqueEmail("edges-fixed");
  await field.fill(fixedAddress);
  await page.getByRole("button", { name: /^(Save|Enregistrer)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: fixedAddress })).toBeVisible();
  await shot(page, info, "admin-attendee-email-changed");
  const mail = await waitForEmailTo(fixedAddress);
  expect(mail.subject).toBe("Your ticket for Open Cloud Paris #12");
  const notice = await waitForEmailTo(email, { subject: CHANGED_SUBJECT });
  expect(notice.text).toContain("The organisers of Open Cloud Paris #12 changed");
  const audit = await db.auditEntry.findFirstOrThrow({ where: { subjectId: ticket.id, action: "attendee.edited" } });
  expect(audit).toMatchObject({ actorEmail: account("ORGANISER").email, after: { email: fixedAddress } });
});
