import AxeBuilder from "@axe-core/playwright";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { testPerson } from "@/devtools/testing/vouchers";
import { placeOrder } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { joinWaitingList } from "@/lib/waitlist/join";

// The organiser's side of the waiting list: people joined through the public join (lib/waitlist/join.ts) while the
// edition's only seat is held; the tab lists them, pauses and resumes the list, takes one off it and exports it.

test("an organiser follows the waiting list, pauses it, offers seats by hand, removes one, exports it (en)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 1, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await placeOrder(db, {
    edition,
    buyer: testPerson("buyer"),
    tickets: [{ ticketType: edition.ticketTypes[0], attendee: testPerson("a"), answers: {}, priceCents: 4900 }],
    locale: "en",
    holdExpiresAt: new Date(Date.now() + 3_600_000),
    now: new Date(),
  });
  if (!held.ok) throw new Error(JSON.stringify(held));
  for (const name of ["Grace Hopper", "Alan Turing", "Edsger Dijkstra"]) {
    const joined = await joinWaitingList(
      db,
      edition.slug,
      { name, email: uniqueEmail("waiting"), locale: "en", seats: "1", ticketTypes: ["standard"] },
      {},
    );
    if (!joined.ok) throw new Error(JSON.stringify(joined));
  }

  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}`);
  await expect(page.getByTestId("dashboard-waiting-list")).toContainText("Waiting entries3");
  await page.getByRole("link", { name: "Waiting list" }).first().click();
  const table = page.getByTestId("waiting-list");
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(table.getByRole("row").nth(1)).toContainText("Grace Hopper");
  await expect(table.getByRole("row").nth(3)).toContainText("Edsger Dijkstra");
  await expect(page.getByTestId("waiting-list-counts")).toContainText("Waiting: 3");
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual(
    [],
  );

  await page.getByRole("button", { name: "Pause the waiting list" }).click();
  await expect(page.getByText("The waiting list is paused")).toBeVisible();

  // "Offer now", out of the line's order: refused while no seat is free, then made once the held seat lapses (paused,
  // the list takes nothing by itself).
  const edsger = table.getByRole("row", { name: /Edsger Dijkstra/ });
  await edsger.getByText("Offer now").click();
  await edsger.getByRole("button", { name: "Offer the seats to Edsger Dijkstra" }).click();
  await expect(edsger.getByText("No seat is free for this ticket type.")).toBeVisible();
  await db.order.update({ where: { id: held.order.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
  await expireLapsedHolds(db, null);
  await edsger.getByRole("button", { name: "Offer the seats to Edsger Dijkstra" }).click();
  await expect(edsger).toContainText("offered by hand");
  await expect(table.getByRole("row", { name: /Grace Hopper/ })).toContainText("Waiting");

  await page.getByRole("button", { name: "Resume the waiting list" }).click();
  await expect(page.getByText("Freed seats are offered to the waiting list in order")).toBeVisible();

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Remove Alan Turing from the waiting list" }).click();
  await expect(table.getByRole("row", { name: /Alan Turing/ })).toContainText("Removed");
  await expect(page.getByTestId("waiting-list-counts")).toContainText("Waiting: 1");
  await page.getByLabel("Status").selectOption({ label: "Waiting" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).not.toContainText("Alan Turing");

  const href = await page.getByRole("link", { name: "Export the waiting list (CSV)" }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text())
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");
  expect(lines[0]).toBe(
    "Position,Name,Email,Language,Seats,Accepts fewer,Ticket types,Joined,Status,Offered,Offer expires,Order," +
      "Tickets taken",
  );
  expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual(["Grace Hopper", "Alan Turing", "Edsger Dijkstra"]);
  expect(lines[2]).toContain(",Removed,");
  expect(lines[3]).toContain(`,Offered,1 × ${edition.ticketTypes[0].nameEn},`);

  const audit = await db.auditEntry.findMany({ where: { editionId: edition.id }, orderBy: { createdAt: "asc" } });
  expect(audit.map((entry) => entry.action)).toEqual([
    "waitlist.paused",
    "waitlist.offered",
    "waitlist.resumed",
    "waitlist.removed",
  ]);
});
