import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, entryState, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { registerAttendee } from "@/lib/orders/register";
import { expireOffers } from "./sweep";

const { db, newClient } = await useTestDatabase();
const HOUR = 3_600_000;

type Edition = Awaited<ReturnType<typeof edition>>;
const edition = (capacity: number) =>
  createEdition(db, { capacity, ticketTypes: [{ code: "standard", priceCents: 4900 }] });

/** A public hold of one seat, as the registration form places it. */
const hold = (e: Edition) => holdSeats(db, e);

/** Holds run out and the hold sweep releases them: their seats go to the list. */
const lapse = (...orders: { id: string }[]) => lapseHolds(db, orders);

const openOffer = (entry: { id: string }) =>
  db.waitingListOffer.findFirstOrThrow({ where: { entryId: entry.id, status: "OFFERED" } });
const justAfter = (date: Date | null) => new Date(date!.getTime() + 1);

/** The emails queued for an entry, by kind. */
async function emailsOf(entry: { id: string }) {
  const rows = await db.$queryRaw<{ kind: string }[]>`
    SELECT kind FROM "EmailOutbox" WHERE payload->>'entryId' = ${entry.id} ORDER BY kind`;
  return rows.map((row) => row.kind);
}

describe("offers lapse on time, and their seats go down the line", () => {
  it("lapses offers in a chain A → B → C, each in the transaction that offers the next", async () => {
    const e = await edition(1);
    const held = await hold(e);
    const [a, b, c] = [await addTestEntry(db, e), await addTestEntry(db, e), await addTestEntry(db, e)];
    await lapse(held);

    const first = await openOffer(a);
    expect(await expireOffers(db, new Date(first.expiresAt!.getTime() - 1))).toBe(0);
    expect(await expireOffers(db, justAfter(first.expiresAt))).toBe(1);
    expect(await entryState(db, a.id)).toMatchObject({ status: "LAPSED", offer: { status: "LAPSED" } });
    const second = await openOffer(b);
    // The next offer's deadline runs from the sweep's clock, not the database's.
    expect(second.offeredAt).toEqual(justAfter(first.expiresAt));

    expect(await expireOffers(db, justAfter(second.expiresAt))).toBe(1);
    expect(await entryState(db, b.id)).toMatchObject({ status: "LAPSED" });
    expect(await entryState(db, c.id)).toMatchObject({ status: "OFFERED", offer: { status: "OFFERED", seats: 1 } });
    expect(await emailsOf(a)).toEqual(["waitlist_offer", "waitlist_offer_lapsed"]);
    expect(await emailsOf(b)).toEqual(["waitlist_offer", "waitlist_offer_lapsed"]);
    expect(await emailsOf(c)).toEqual(["waitlist_offer"]);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("defers the lapse while an order placed with the offer runs, and lapses it once that hold lapsed", async () => {
    const e = await edition(1);
    const held = await hold(e);
    const [a, b] = [await addTestEntry(db, e), await addTestEntry(db, e)];
    await lapse(held);
    const offer = await openOffer(a);
    const deadline = new Date(Date.now() + 60_000);
    await db.waitingListOffer.update({ where: { id: offer.id }, data: { expiresAt: deadline } });
    const request = {
      ticketType: "standard",
      attendee: { firstName: "Ada", lastName: "Offered", email: "ada.offered@example.org" },
      locale: "en",
    };
    const placed = await registerAttendee(db, e.slug, request, { holdMinutes: 30, offer: a.token });
    if (!placed.ok) throw new Error(JSON.stringify(placed));

    expect(await expireOffers(db, justAfter(deadline))).toBe(0);
    expect(await entryState(db, a.id)).toMatchObject({ status: "OFFERED" });

    expect(await expireOffers(db, justAfter(placed.order.holdExpiresAt))).toBe(1);
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.order.id } })).toMatchObject({ status: "EXPIRED" });
    expect(await entryState(db, a.id)).toMatchObject({ status: "LAPSED" });
    expect(await entryState(db, b.id)).toMatchObject({ status: "OFFERED" });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("two sweeps at once: one lapse, one next offer, one email each", async () => {
    const e = await edition(1);
    const held = await hold(e);
    const [a, b, c] = [await addTestEntry(db, e), await addTestEntry(db, e), await addTestEntry(db, e)];
    await lapse(held);
    const at = justAfter((await openOffer(a)).expiresAt);

    const other = newClient(5);
    expect((await Promise.all([expireOffers(db, at), expireOffers(other, at)])).sort()).toEqual([0, 1]);
    expect(await entryState(db, a.id)).toMatchObject({ status: "LAPSED" });
    expect(await entryState(db, b.id)).toMatchObject({ status: "OFFERED" });
    expect(await entryState(db, c.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await emailsOf(a)).toEqual(["waitlist_offer", "waitlist_offer_lapsed"]);
    expect(await emailsOf(b)).toEqual(["waitlist_offer"]);
    expect(await db.waitingListOffer.count({ where: { editionId: e.id } })).toBe(2);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("dissolves a gathering at the last call: the group waits on, its seats go to an entry that fits", async () => {
    const e = await edition(3);
    const holds = [await hold(e), await hold(e), await hold(e)];
    const group = await addTestEntry(db, e, { seats: 3 });
    await db.waitingListEntry.update({ where: { id: group.id }, data: { passedOver: 3 } });
    const behind = await addTestEntry(db, e);
    await lapse(holds[0]);
    expect(await entryState(db, group.id)).toMatchObject({ offer: { status: "GATHERING", seats: 1 } });

    // Other tests' offers lapse too at these times: the sweep is every edition's.
    await expireOffers(db, new Date(e.startsAt.getTime() - 49 * HOUR));
    expect(await entryState(db, group.id)).toMatchObject({ offer: { status: "GATHERING" } });
    await expireOffers(db, new Date(e.startsAt.getTime() - 47 * HOUR));
    expect(await entryState(db, group.id)).toMatchObject({ status: "WAITING", offer: { status: "WITHDRAWN" } });
    expect(await entryState(db, behind.id)).toMatchObject({ status: "OFFERED", offer: { seats: 1 } });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });
});
