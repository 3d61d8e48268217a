import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./support/database";
import { signInAs } from "./support/back-office";

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
