import type { Page } from "@playwright/test";
import { expect, test } from "./support/database";
import { signInAs } from "./support/back-office";

// A block of seats set aside for a sponsor: taken out of what the public can buy, shown on the dashboard, and given
// back to general sale by the app's own release job when its date comes (the spec moves the date, as a clock would).

const seatsLeftForPublic = async (page: Page, slug: string) =>
  (await (await page.request.get(`/api/v1/editions/${slug}`)).json()).seatsLeft as number;

test("an organiser reserves a block for a sponsor; at its release date its seats return to sale (en)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}`);
  await page.getByRole("link", { name: "Reserved blocks" }).click();
  await expect(page.getByText("No block of seats yet.")).toBeVisible();

  const form = page.locator("section", { has: page.getByRole("heading", { name: "Reserve a block of seats" }) });
  const reserve = form.getByRole("button", { name: "Reserve the seats" });
  // Bad input: nothing is reserved, each field says why.
  await form.getByLabel("Name").fill("Acme");
  await form.getByLabel("Seats").fill("0");
  await form.getByLabel("Released on").fill("2099-01-01T09:00");
  await reserve.click();
  await expect(form.getByText("This value is too small.")).toBeVisible();
  await form.getByLabel("Seats").fill("4");
  await form.getByLabel("Released on").fill("2020-01-01T09:00");
  await reserve.click();
  await expect(form.getByText("Choose a time to come.")).toBeVisible();
  await form.getByLabel("Seats").fill("11");
  await form.getByLabel("Released on").fill("2099-01-01T09:00");
  await reserve.click();
  await expect(form.getByText("General sale has only 10 seats left for this block.")).toBeVisible();
  expect(await db.seatAllocation.count({ where: { editionId: edition.id } })).toBe(0);

  await form.getByLabel("Seats").fill("4");
  await reserve.click();
  await expect(form.getByText("The seats are reserved.")).toBeVisible();
  const table = page.getByTestId("allocations");
  await expect(table.getByRole("row", { name: /Acme/ })).toContainText("Returns to sale on");
  expect(await seatsLeftForPublic(page, edition.slug)).toBe(6);

  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByTestId("seats-reserved")).toHaveText("4");
  await expect(page.getByTestId("seats-left")).toHaveText("6");
  await expect(page.getByTestId("dashboard-blocks").getByRole("row", { name: /Acme/ })).toContainText("4");

  // Its date comes: the app's release job (every instance, every BLOCK_RELEASE_SECONDS) gives the seats back, once.
  await db.seatAllocation.updateMany({ where: { editionId: edition.id }, data: { releaseAt: new Date() } });
  await expect.poll(() => seatsLeftForPublic(page, edition.slug), { timeout: 15_000 }).toBe(10);
  await page.reload();
  await expect(page.getByTestId("seats-reserved")).toHaveText("0");
  await expect(page.getByTestId("dashboard-blocks").getByRole("row", { name: /Acme/ })).toContainText(
    "Returned to sale on",
  );
  const audit = await db.auditEntry.findMany({ where: { editionId: edition.id }, select: { action: true } });
  expect(audit.map((entry) => entry.action)).toEqual(["allocation.created"]);
});

test("un bloc se libère en avance depuis le back-office (fr)", async ({ page, context, db, newEdition }) => {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/allocations`);
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Réserver un bloc de places" }) });
  await form.getByLabel("Nom").fill("Orateurs");
  await form.getByLabel("Places").fill("3");
  await form.getByLabel("Type de billet").selectOption({ label: edition.ticketTypes[0].nameFr });
  await form.getByLabel("Libéré le").fill("2099-01-01T09:00");
  await form.getByRole("button", { name: "Réserver les places" }).click();
  await expect(form.getByText("Les places sont réservées.")).toBeVisible();

  await page.getByText("Modifier « Orateurs »").click();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Remettre ses places inutilisées en vente maintenant" }).click();
  await expect(page.getByText("Les places inutilisées du bloc sont remises en vente.")).toBeVisible();
  expect(await seatsLeftForPublic(page, edition.slug)).toBe(10);
  expect(await db.auditEntry.count({ where: { editionId: edition.id, action: "allocation.released" } })).toBe(1);
  await expect(page.getByTestId("allocations").getByRole("row", { name: /Orateurs/ })).toContainText(
    "Remis en vente le",
  );
});
