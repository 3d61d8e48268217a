import { waitForEmailTo } from "./support/mailbox";
import { signInAs } from "./support/back-office";
import { advanceClock, expect, test } from "./support/clock";
import { uniqueEmail } from "./support/database";
import { holdRowLock } from "@/devtools/testing/row-locks";
import { cancelFreeRegistration } from "@/lib/tickets/self-service";

const HOUR = 3_600_000;

/** The private page's path in a waiting-list email. */
function entryPathIn(mail: { text?: string }): string {
  const path = mail.text?.match(/\/en\/waiting-list\/[A-Za-z0-9_-]+/)?.[0];
  if (!path) throw new Error("no private link in the email");
  return path;
}

// The clock moves here (e2e/support/clock.ts): this test runs alone and leaves the clock reset.
test("an offer that lapses passes to the next entry, and the first joins again behind it (en)", async ({
  page,
  context,
  request,
  db,
  newEdition,
}) => {
  test.setTimeout(90_000);
  const edition = await newEdition({ capacity: 1 });
  const first = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("lapse-first") } },
  });
  expect(first.status()).toBe(201);

  // A joins from the sold-out edition's page, B through the API, behind A.
  const a = uniqueEmail("lapse-a");
  const b = uniqueEmail("lapse-b");
  await page.goto(`/en/editions/${edition.slug}`);
  const list = page.getByRole("region", { name: "Waiting list" });
  await list.getByRole("textbox", { name: "Your name" }).fill("Grace Hopper");
  await list.getByRole("textbox", { name: /Your email address/ }).fill(a);
  await list.getByRole("combobox", { name: "Language of the emails" }).selectOption("en");
  await list.getByRole("button", { name: "Join the waiting list" }).click();
  await expect(list.getByRole("status")).toContainText("number 1 in line");
  const joined = await request.post(`/api/v1/editions/${edition.slug}/waiting-list`, {
    data: { name: "Alan Turing", email: b, locale: "en", seats: 1, ticketTypes: ["free"] },
  });
  expect(await joined.json()).toEqual({ status: "waiting", position: 2, seats: 1, emailed: true });
  const aPage = entryPathIn(await waitForEmailTo(a, { subject: /You are on the waiting list/ }));

  // The first attendee cancels: the seat is A's, and its email says until when (offer hours: 24).
  const order = await db.order.findFirstOrThrow({ where: { editionId: edition.id } });
  expect(await cancelFreeRegistration(db, order.accessToken)).toMatchObject({ ok: true });
  await waitForEmailTo(a, { subject: /(is|are) held for you until/ });
  await page.goto(aPage);
  await expect(page.getByRole("region", { name: "Seats held for you" })).toContainText("1 seat (free");

  // A day and an hour later A has not registered. While the sweep waits on the edition's row (held here), the page
  // already says the offer can no longer be taken; then the app's own sweep lapses it and B is offered the seat.
  const counters = await holdRowLock(db, "EditionSeats", edition.id);
  advanceClock(25 * HOUR);
  await page.reload();
  await expect(page.getByText("The time to take these seats has passed")).toBeVisible();
  await expect(page.getByRole("link", { name: "Register and pay" })).toHaveCount(0);
  await counters.release();
  await waitForEmailTo(a, { subject: /has lapsed/ });
  const bOffer = await waitForEmailTo(b, { subject: /(is|are) held for you until/ });
  expect(entryPathIn(bOffer)).not.toBe(aPage);
  await page.reload();
  await expect(page.getByRole("status")).toHaveText(
    "The seats offered were not taken in time: they have gone to the next person in line.",
  );
  await expect(page.getByRole("region", { name: "Seats held for you" })).toHaveCount(0);

  // "Join again": a new entry, with the same answers, at the end of the line.
  await page.getByRole("button", { name: "Join the waiting list again" }).click();
  await expect(page).not.toHaveURL(aPage);
  await expect(page.getByRole("status")).toHaveText("You are number 1 in line.");
  const aAgain = new URL(page.url()).pathname;
  expect(entryPathIn(await waitForEmailTo(a, { subject: /You are on the waiting list/, nth: 2 }))).toBe(aAgain);

  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/waiting-list`);
  const rows = page.getByTestId("waiting-list").getByRole("row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText("Grace Hopper");
  await expect(rows.nth(1)).toContainText("Lapsed");
  await expect(rows.nth(2)).toContainText("Alan Turing");
  await expect(rows.nth(2)).toContainText("Offered");
  await expect(rows.nth(3)).toContainText("Grace Hopper");
  await expect(rows.nth(3)).toContainText("Waiting");
});
