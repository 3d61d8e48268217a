import { registerAttendee } from "@/lib/orders/register";
import { advanceClock, expect, test } from "./support/clock";
import { uniqueEmail } from "./support/database";

const HOUR = 3_600_000;

// The clock moves here (e2e/support/clock.ts): this test runs alone and leaves the clock reset.
test("once the edition has started by the app's clock, the attendee's pages no longer offer to cancel (en)", async ({
  page,
  db,
  newEdition,
}) => {
  const created = await newEdition({ capacity: 5 });
  const startsAt = new Date(Date.now() + 2 * HOUR);
  const edition = await db.edition.update({
    where: { id: created.id },
    data: { startsAt, endsAt: new Date(startsAt.getTime() + 8 * HOUR) },
  });
  const result = await registerAttendee(
    db,
    edition.slug,
    {
      ticketType: "free",
      attendee: { firstName: "Late", lastName: "Comer", email: uniqueEmail("self-service-clock") },
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!result.ok) throw new Error(result.reason);
  const orderPage = `/en/orders/${result.order.accessToken}`;

  await page.goto(orderPage);
  await expect(page.getByText("Cancel your registration")).toBeVisible();

  // Three hours later by the app's clock, the edition is under way: the same page and rule as the cancel itself.
  advanceClock(3 * HOUR);
  await page.goto(orderPage);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Cancel your registration")).toHaveCount(0);
});
