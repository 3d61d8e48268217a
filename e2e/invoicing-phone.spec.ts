import AxeBuilder from "@axe-core/playwright";
import { upsertUser } from "@/lib/auth/users";
import type { Db } from "@/lib/db/prisma";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { companyBilling, organiserProfileForm } from "@/devtools/testing/fixtures";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { waitForEmailTo } from "./support/mailbox";

test("an admin fills the invoicing settings on a phone: bad identifiers told, nothing saved, then saved (fr)", async ({
  page,
  context,
  db,
}) => {
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ADMIN");
  await page.goto("/admin/invoicing");
  await expect(page.getByRole("heading", { level: 1, name: "Facturation" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "aucune facture ne peut être émise" })).toBeVisible();

  const field = (name: string | RegExp) => page.getByRole("textbox", { name });
  await field("Raison sociale").fill("Open Cloud Paris SAS");
  await field("Forme juridique").fill("SAS");
  await field(/^Adresse\b/)
    .first()
    .fill("327 rue de Charenton");
  await field("Code postal").fill("75012");
  await field("Ville").fill("Paris");
  await field("SIREN").fill("732 829 321");
  await field("SIRET").fill("732 829 320 00074");
  await field("Numéro de TVA intracommunautaire").fill("FR44732829320");
  await field("IBAN").fill("FR77 3000 6000 0112 3456 7890 189");
  await field("BIC").fill("BNPAFRPP");
  await field("Adresse e-mail de contact imprimée sur les factures").fill("factures@example.org");
  await field("Préfixe des numéros de facture").fill("GCH");
  await page.getByRole("button", { name: "Enregistrer les paramètres de facturation" }).click();

  // Each error is read with its field (aria-describedby), and what was typed stays.
  await expect(field("SIREN")).toHaveAccessibleDescription(/La clé de ce SIREN est fausse/);
  await expect(field("IBAN")).toHaveAccessibleDescription(/La clé de cet IBAN est fausse/);
  await expect(field("SIRET")).toHaveValue("732 829 320 00074");
  expect(await db.organiserProfile.count()).toBe(0);

  await field("SIREN").fill("732829320");
  await field("IBAN").fill("FR76 3000 6000 0112 3456 7890 189");
  await page.getByRole("button", { name: "Enregistrer les paramètres de facturation" }).click();
  await expect(page.getByText("Enregistré.")).toBeVisible();
  expect(await db.organiserProfile.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
    siren: "732829320",
    iban: "FR7630006000011234567890189",
    invoicePrefix: "GCH",
    paymentTermDays: 30,
  });
  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: "admin" })).toContainText("SIREN");

  // Nothing runs off a 390 px screen, and the page passes axe.
  expect(await page.locator("main").evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
});

// The settings, as the first test saves them, for a test run on its own.
async function ensureInvoicingSettings(db: Db) {
  if ((await db.organiserProfile.count()) > 0) return;
  const admin = await upsertUser(db, { email: "invoicing-admin@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
}

// After the settings above (tests of one file run in order): an organisation's order paid by card is invoiced.
test("a company buys two tickets by card on a phone, gets its invoice by email and from its order page (en)", async ({
  page,
  request,
  context,
  db,
}) => {
  await ensureInvoicingSettings(db);
  const buyer = { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("company-buyer") };
  const accounts = uniqueEmail("accounts");
  const member = (lastName: string) => ({
    ticketType: "standard",
    attendee: { firstName: "Member", lastName, email: uniqueEmail(lastName.toLowerCase()) },
    answers: { coc: true },
  });
  const billing = { ...companyBilling, accountsEmail: accounts };
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: { buyer, locale: "en", tickets: [member("One"), member("Two")], billing },
  });
  expect(created.status()).toBe(201);
  const { checkoutUrl, confirmationUrl } = await created.json();

  await page.goto(checkoutUrl);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible({ timeout: 15_000 });

  // The order page lists the invoice: its Factur-X PDF and its XML.
  await page.goto(new URL(confirmationUrl).pathname);
  const invoices = page.getByRole("region", { name: "Invoices" });
  await expect(invoices).toContainText(/Invoice GCH-\d{4}-\d{6}/);
  await expect(invoices).toContainText("€98.00");
  const number = /GCH-\d{4}-\d{6}/.exec((await invoices.textContent()) ?? "")![0];
  const pdf = await page.request.get(
    (await invoices.getByRole("link", { name: "PDF (Factur-X)" }).getAttribute("href"))!,
  );
  expect([pdf.status(), pdf.headers()["content-type"]]).toEqual([200, "application/pdf"]);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const xml = await page.request.get((await invoices.getByRole("link", { name: "XML only" }).getAttribute("href"))!);
  expect(await xml.text()).toContain(`<ram:ID>${number}</ram:ID>`);
  expect(await page.locator("main").evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

  // Emailed to the buyer and to the accounts department, the PDF attached.
  for (const address of [buyer.email, accounts]) {
    const mail = await waitForEmailTo(address, { subject: `Invoice ${number}: Open Cloud Paris #12` });
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      [`${number}.pdf`, "application/pdf"],
    ]);
  }

  // The back office lists it on the order, with the same files; a wrong number is a 404.
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: buyer.email } });
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${DEMO_EDITION}/orders/${order.reference}`);
  await expect(page.getByRole("region", { name: "Invoices" })).toContainText(number);
  const adminPdf = await page.request.get(
    `/admin/editions/${DEMO_EDITION}/orders/${order.reference}/invoices/${number}`,
  );
  expect(adminPdf.headers()["content-type"]).toBe("application/pdf");
  const missing = await page.request.get(
    `/admin/editions/${DEMO_EDITION}/orders/${order.reference}/invoices/GCH-1999-000001`,
  );
  expect(missing.status()).toBe(404);

  // Listed with every invoice of the installation, and in the accountant's export of the edition.
  await page.goto(`/admin/invoices?edition=${DEMO_EDITION}`);
  await expect(page.getByRole("table", { name: "Invoices and credit notes" })).toContainText(number);
  const ledger = await page.request.get(`/admin/invoices/export?edition=${DEMO_EDITION}`);
  expect(ledger.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(await ledger.text()).toMatch(new RegExp(`${number},Invoice,\\d{4}-\\d{2}-\\d{2},Open Cloud Paris #12,`));
  expect(await page.locator("main").evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

  // The buyer cancels the second ticket: its price goes back, and a credit note follows the invoice in the series.
  await page.goto(new URL(confirmationUrl).pathname);
  const leaving = page.getByTestId("order-ticket-2");
  await leaving.getByText("Cancel this ticket").click();
  await leaving.getByRole("button", { name: "Yes, cancel ticket 2" }).click();
  await expect(leaving.getByText("Cancelled, €49.00 refunded")).toBeVisible();
  const [prefix, year, sequence] = number.split("-");
  const creditNote = `${prefix}-${year}-${String(Number(sequence) + 1).padStart(6, "0")}`;
  await expect(page.getByRole("region", { name: "Invoices" })).toContainText(`Credit note ${creditNote}`);
  const noteMail = await waitForEmailTo(accounts, { subject: `Credit note ${creditNote}: Open Cloud Paris #12` });
  expect(noteMail.text).toContain(`correcting invoice ${number}`);
  expect(noteMail.attachments.map((attachment) => attachment.filename)).toEqual([`${creditNote}.pdf`]);
});

test("a French company registers by the form on a phone: a wrong SIREN told at its field, then invoiced (fr)", async ({
  page,
  context,
  db,
}) => {
  await ensureInvoicingSettings(db);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  const email = uniqueEmail("form-company");
  await page.goto(`/fr/editions/${DEMO_EDITION}/register?ticket=standard`);
  await page.locator("#field-attendee-firstName").fill("Hedy");
  await page.locator("#field-attendee-lastName").fill("Lamarr");
  await page.locator("#field-attendee-email").fill(email);
  await page.getByLabel("J’accepte le code de conduite de la conférence").check();
  await page.getByText("Vous achetez pour une organisation ? Recevez une facture à son nom").click();
  await page.getByRole("textbox", { name: "Nom de l’organisation (sur la facture)" }).fill("Acme SAS");
  await page.getByRole("textbox", { name: "Adresse", exact: true }).fill("12 rue de la Paix");
  await page.getByRole("textbox", { name: "Code postal" }).fill("75002");
  await page.getByRole("textbox", { name: "Ville" }).fill("Paris");
  await page.getByRole("textbox", { name: "SIREN" }).fill("732 829 321");
  await page.getByRole("button", { name: /S’inscrire|Continuer|paiement/ }).click();

  const siren = page.getByRole("textbox", { name: "SIREN" });
  await expect(siren).toHaveAccessibleDescription(/La clé de ce numéro est fausse/);
  expect(await db.order.count({ where: { buyerEmail: email } })).toBe(0);
  await siren.fill("732829320");
  await page.getByRole("button", { name: /S’inscrire|Continuer|paiement/ }).click();

  await page.getByLabel("Numéro de carte").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiration (MM/AA)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Payer/ }).click();
  await expect(page.getByRole("region", { name: "Factures" })).toContainText(/Facture GCH-\d{4}-\d{6}/, {
    timeout: 15_000,
  });
  const mail = await waitForEmailTo(email, { subject: /^Facture GCH-\d{4}-\d{6} : Open Cloud Paris #12$/ });
  expect(mail.attachments).toHaveLength(1);
  const billing = await db.orderBilling.findFirstOrThrow({ where: { order: { buyerEmail: email } } });
  expect(billing).toMatchObject({ organisation: "Acme SAS", siren: "732829320", country: "FR" });
});
