import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { getSeatUsage, seatsTaken } from "@/lib/capacity/seats";
import { registerAttendee } from "@/lib/orders/register";

const { db } = await useTestDatabase();

/** A sold-out edition of one seat whose hold has lapsed, not yet released by any sweep or claim. */
async function lapsedUnreleased() {
  const e = await createEdition(db, { capacity: 1, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await holdSeats(db, e, 1);
  await lapseHolds(db, [held], { release: false });
  return e;
}

const publicLeft = async (e: { id: string; capacity: number }) => e.capacity - seatsTaken(await getSeatUsage(db, e.id));

describe("the public count while entries wait", () => {
  it("never shows a lapsed hold's seat as free when the list will take it; paused, it does", async () => {
    const alone = await lapsedUnreleased();
    expect(await publicLeft(alone)).toBe(1);

    const e = await lapsedUnreleased();
    await addTestEntry(db, e);
    expect(await publicLeft(e)).toBe(0);
    const request = {
      ticketType: "standard",
      attendee: { firstName: "Ada", lastName: "Public", email: "ada.public@example.org" },
      locale: "en",
    };
    expect(await registerAttendee(db, e.slug, request, { holdMinutes: 30 })).toMatchObject({
      ok: false,
      reason: "sold_out",
      left: 0,
    });

    await db.edition.update({ where: { id: e.id }, data: { waitingListPaused: true } });
    expect(await publicLeft(e)).toBe(1);
  });
});
