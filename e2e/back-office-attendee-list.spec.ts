import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { registerAttendee } from "@/lib/orders/register";
import { expect, test, uniqueEmail } from "./support/database";
import { account, signInAs } from "./support/back-office";

test.use({ viewport: { width: 1280, height: 900 } });

type Db = Parameters<Parameters<typeof test>[2]>[0]["db"];

async function editionWithPeople(
  db: Db,
  newEdition: (options: {
    capacity: number;
    ticketTypes?: { code: string; priceCents?: number }[];
  }) => Promise<{ id: string; slug: string }>,
) {
  const edition = await newEdition({
    capacity: 20,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  await db.ticketType.updateMany({
    where: { editionId: edition.id, code: "free" },
    data: { nameFr: "Communauté (entrée libre)", nameEn: "Community (free entry)" },
  });
  const people = [
    { firstName: "Linus", lastName: "Torvalds", company: "Linux Foundation" },
    { firstName: "Jan", lastName: "Łukasiewicz", company: "Uniwersytet Warszawski" },
    { firstName: "ada", lastName: "lovelace", company: "" },
  ];
  for (const attendee of people) {
    const result = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee: { ...attendee, email: uniqueEmail(attendee.lastName.slice(1)) }, locale: "en" },
      { holdMinutes: 35 },
    );
    if (!result.ok) throw new Error(result.reason);
  }
  // "Back" on the payment page: a checkout cancelled before paying.
  const back = await registerAttendee(
    db,
    edition.slug,
    {
      ticketType: "paid",
      attendee: { firstName: "Théo", lastName: "Martin", email: uniqueEmail("theo") },
      locale: "fr",
    },
    { holdMinutes: 35 },
  );
  if (!back.ok) throw new Error(back.reason);
  await db.order.update({
    where: { id: back.order.id },
    data: { status: "CANCELLED", statusReason: "checkout_cancelled" },
  });
  return edition;
}

// The attendee's name is the cell's first link (the order reference follows it).
const names = (page: Page) =>
  page.locator(".attendee-table tbody tr td:nth-child(2) a:first-of-type").allTextContents();

test("the attendee list fits 1280 px, sorts, hides abandoned checkouts and acts on a selection (en)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  test.setTimeout(90_000);
  page.on("dialog", (dialog) => void dialog.accept());
  const edition = await editionWithPeople(db, newEdition);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  const base = `/admin/editions/${edition.slug}/attendees`;
  await page.goto(base);

  // Abandoned checkouts stay out of the list unless asked for.
  await expect(page.getByTestId("attendee-count")).toHaveText("3 attendees");
  await page.getByLabel("Show abandoned checkouts").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("attendee-count")).toHaveText("4 attendees");
  await expect(page.getByRole("row", { name: /Martin Théo/ })).toContainText("Cancelled");
  await page.goto(base);

  // Nine columns, none clipped: the table is no wider than its frame.
  const frame = page.locator(".table-scroll");
  expect(await frame.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  await expect(page.getByRole("columnheader", { name: /^Company/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("attendees-en.png"), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => violation.id),
  ).toEqual([]);

  // Names in reading order, then reversed; the header says which way it sorts.
  const nameHeader = page.getByRole("columnheader", { name: /^Name/ });
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  expect(await names(page)).toEqual(["lovelace ada", "Łukasiewicz Jan", "Torvalds Linus"]);
  await nameHeader.getByRole("link").click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  await expect(nameHeader).toHaveAttribute("aria-sort", "descending");
  expect(await names(page)).toEqual(["Torvalds Linus", "Łukasiewicz Jan", "lovelace ada"]);
  await page
    .getByRole("columnheader", { name: /^Company/ })
    .getByRole("link")
    .click();
  await expect(page.getByRole("columnheader", { name: /^Company/ })).toHaveAttribute("aria-sort", "ascending");
  await expect(nameHeader).not.toHaveAttribute("aria-sort");
  expect(await names(page)).toEqual(["Torvalds Linus", "Łukasiewicz Jan", "lovelace ada"]);
  // The sort is kept by the filter form.
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/sort=company/);

  // Check in the whole page at once: recorded as scans by the organiser, never twice.
  // The filter reloaded the page: "select all" works once the bar's script has taken over, so try until it has.
  await expect(async () => {
    await page.getByLabel("Select all attendees on this page").check();
    await expect(page.getByTestId("bulk-count")).toHaveText("3 attendees selected", { timeout: 1000 });
  }).toPass();
  await page.getByRole("button", { name: "Mark as checked in" }).click();
  await expect(page.getByRole("status").filter({ hasText: "3 checked in" })).toBeVisible();
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  expect(
    await db.checkInScan.count({
      where: { editionId: edition.id, result: "ADMITTED", userId: organiser.id, deviceId: "back-office" },
    }),
  ).toBe(3);
  // Once done, the selection is cleared and the bar waits for a new one.
  await expect(page.getByTestId("bulk-count")).toHaveText("No attendee selected");
  await expect(page.getByRole("button", { name: "Mark as checked in" })).toBeDisabled();
  await page.getByLabel("Select all attendees on this page").check();
  await page.getByRole("button", { name: "Mark as checked in" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "None checked in, 3 skipped: already checked in" }),
  ).toBeVisible();
  // React resets the form once the action settles: a selection made before that would be cleared with it.
  await expect(page.getByTestId("bulk-count")).toHaveText("No attendee selected");

  // Badges for two of them.
  await page.getByLabel("Select lovelace ada").check();
  await page.getByLabel("Select Łukasiewicz Jan").check();
  await expect(page.getByTestId("bulk-count")).toHaveText("2 attendees selected");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Badges (PDF)" }).click(),
  ]);
  const pdf = readFileSync((await download.path())!).toString("latin1");
  expect(pdf.startsWith("%PDF")).toBe(true);
  expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(2);

  // Resend to one, then cancel another after confirming (the badges' download kept the ticks).
  await page.getByLabel("Select Łukasiewicz Jan").uncheck();
  await page.getByRole("button", { name: "Resend confirmation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 resent" })).toBeVisible();
  await expect(page.getByTestId("bulk-count")).toHaveText("No attendee selected");
  await page.getByLabel("Select Torvalds Linus").check();
  await page.getByRole("button", { name: "Cancel, keep payment" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 cancelled" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Torvalds Linus/ })).toContainText("Cancelled");
  const torvalds = await db.ticket.findFirstOrThrow({
    where: { editionId: edition.id, lastName: "Torvalds" },
    include: { order: true },
  });
  expect(torvalds.order).toMatchObject({ status: "CANCELLED", statusReason: "organiser_cancelled" });
});

test("the attendee list in French, sorted by arrival", async ({ page, context, db, newEdition }) => {
  const edition = await editionWithPeople(db, newEdition);
  await db.ticket.updateMany({
    where: { editionId: edition.id, lastName: "Torvalds" },
    data: { checkedInAt: new Date() },
  });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/attendees?sort=checkedInAt&dir=desc`);
  await expect(page.getByRole("columnheader", { name: /^Arrivé/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("columnheader", { name: /^Société/ })).toBeVisible();
  expect(await names(page)).toEqual(["Torvalds Linus", "lovelace ada", "Łukasiewicz Jan"]);
  expect(await page.locator(".table-scroll").evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(
    true,
  );
  await page.screenshot({ path: test.info().outputPath("attendees-fr.png"), fullPage: true });
});
