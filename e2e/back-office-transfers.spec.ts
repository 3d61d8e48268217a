import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { upsertUser } from "@/lib/auth/users";
import type { Db } from "@/lib/db/prisma";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { registerAttendee } from "@/lib/orders/register";
import { camt053Statement } from "@/devtools/testing/camt053";
import { companyBilling, organiserProfileForm } from "@/devtools/testing/fixtures";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";

const shoot = (page: Page, info: TestInfo, name: string) =>
  page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });

// Quotes print the installation's IBAN: transfers need its invoicing settings, which another spec may have saved.
async function ensureInvoicingSettings(db: Db) {
  if ((await db.organiserProfile.count()) > 0) return;
  const admin = await upsertUser(db, { email: "transfers-admin@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
}

async function orderByTransfer(db: Db, slug: string, tickets: number, locale: "fr" | "en") {
  const person = (label: string) => ({ firstName: "Ada", lastName: label, email: uniqueEmail(label) });
  const placed = await registerAttendee(
    db,
    slug,
    {
      buyer: { ...person("Buyer"), company: "Acme" },
      tickets: Array.from({ length: tickets }, (_, i) => ({ ticketType: "standard", attendee: person(`Team${i}`) })),
      locale,
      billing: companyBilling,
      paymentMethod: "transfer",
    },
    { holdMinutes: 35 },
  );
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return placed.order;
}

test("an organiser turns transfers on, marks an order paid: a wrong amount told, the right one confirms (fr)", async ({
  page,
  context,
  db,
  newEdition,
}, info) => {
  await ensureInvoicingSettings(db);
  const edition = await newEdition({ capacity: 20, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");

  await page.goto(`/admin/editions/${edition.slug}/settings`);
  await page.getByRole("checkbox", { name: "Les acheteurs peuvent payer par virement" }).check();
  const days = page.getByRole("textbox", { name: "Délai de paiement par virement (jours)" });
  await days.fill("0");
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(days).toHaveAccessibleDescription(/Saisissez un nombre de jours de 1 à 60/);
  expect((await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).transferDays).toBeNull();
  await days.fill("21");
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByText("Enregistré.")).toBeVisible();
  expect(await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).toMatchObject({ transferDays: 21 });
  await shoot(page, info, "settings-fr");

  const order = await orderByTransfer(db, edition.slug, 2, "fr");
  await page.goto(`/admin/editions/${edition.slug}/orders/${order.reference}`);
  const section = page.getByRole("region", { name: /Paiement par virement/ });
  await expect(section.getByText("Virement attendu")).toBeVisible();
  await expect(section.getByText(/^RF\d\d /)).toBeVisible();
  const amount = section.getByRole("textbox", { name: "Montant reçu" });
  await expect(amount).toHaveValue("98.00");
  await amount.fill("90");
  await section.getByRole("button", { name: "Enregistrer le virement" }).click();
  await expect(section.getByRole("alert").filter({ hasText: "montant dû" })).toContainText(
    /ce n’est pas le montant dû, 98,00\s€/,
  );
  await shoot(page, info, "order-mismatch-fr");
  expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING");

  await amount.fill("98");
  await section.getByRole("button", { name: "Enregistrer le virement" }).click();
  await expect(page.getByText("Virement enregistré : la commande est confirmée")).toBeVisible();
  const paid = page.getByRole("region", { name: "Payée par virement" });
  await expect(paid.getByText("saisi à la main")).toBeVisible();
  await expect(page.getByText(/Virement enregistré · organiser@/)).toBeVisible();
  await shoot(page, info, "order-paid-fr");
  const row = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { invoices: true } });
  expect(row).toMatchObject({ status: "CONFIRMED", invoices: [{ kind: "invoice" }] });
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test("an organiser imports a camt.053 statement, reviews it, confirms the matched order; again nothing (en)", async ({
  page,
  context,
  db,
  newEdition,
}, info) => {
  await ensureInvoicingSettings(db);
  const created = await newEdition({ capacity: 20, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const edition = await db.edition.update({ where: { id: created.id }, data: { transferDays: 14 } });
  const matched = await orderByTransfer(db, edition.slug, 3, "en");
  const partial = await orderByTransfer(db, edition.slug, 1, "en");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");

  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Organisers' area" }).getByRole("link", { name: "Transfers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bank transfers" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: matched.reference })).toContainText("€147.00");
  await shoot(page, info, "transfers-en");

  const today = new Date().toISOString().slice(0, 10);
  const statement = camt053Statement([
    { reference: matched.reference, amountCents: 14_700, bookedOn: today },
    { reference: partial.reference, amountCents: 2000, bookedOn: today },
    { reference: "DON ASSOCIATION", amountCents: 5000, bookedOn: today },
  ]);
  const file = { name: "statement.xml", mimeType: "application/xml", buffer: Buffer.from(statement) };
  await page.getByLabel("Statement file").setInputFiles({ ...file, buffer: Buffer.from("<html></html>") });
  await page.getByRole("button", { name: "Read the statement" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "camt.053" })).toContainText("not a camt.053 bank statement");

  await page.getByLabel("Statement file").setInputFiles(file);
  await page.getByRole("button", { name: "Read the statement" }).click();
  const lines = page.getByRole("table", { name: "Lines of the statement" });
  await expect(lines.getByRole("row").filter({ hasText: matched.reference })).toContainText("Matched");
  await expect(lines.getByRole("row").filter({ hasText: partial.reference })).toContainText("€29.00 missing");
  await expect(lines.getByRole("row").filter({ hasText: "DON ASSOCIATION" })).toContainText("Unknown");
  await shoot(page, info, "review-en");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  await page.getByRole("button", { name: "Confirm the matched order" }).click();
  await expect(page.getByTestId("confirm-results")).toContainText(`${matched.reference} — confirmed`);
  await expect(lines.getByRole("row").filter({ hasText: matched.reference })).toContainText("Already imported");
  await shoot(page, info, "confirmed-en");
  const row = await db.order.findUniqueOrThrow({ where: { id: matched.id }, include: { invoices: true } });
  expect(row).toMatchObject({ status: "CONFIRMED", invoices: [{ kind: "invoice" }] });

  await page.goto("/admin/transfers");
  await page.getByLabel("Statement file").setInputFiles(file);
  await page.getByRole("button", { name: "Read the statement" }).click();
  await expect(lines.getByRole("row").filter({ hasText: matched.reference })).toContainText("Already imported");
  await expect(page.getByText("No line is left to confirm.")).toBeVisible();
  expect(await db.transferPayment.count({ where: { orderId: { in: [matched.id, partial.id] } } })).toBe(1);
});
