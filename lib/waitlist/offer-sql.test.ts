import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, entryState, placeWithOffer, holdSeats } from "@/devtools/testing/waitlist";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { getSeatUsage, lockEdition, seatsTaken } from "@/lib/capacity/seats";

// guichet_place_order with p.offer and the conversion trigger on their own (the registration: offer-placement.test.ts).
const { db } = await useTestDatabase();
const { payOrder } = await useLocalStripe();

type Edition = Awaited<ReturnType<typeof soldOut>>["e"];

/** A sold-out edition whose one held seat lapses: the entry (first of `entries`) is offered it. */
async function soldOut({ capacity = 1, seats = 1, acceptsFewer = false } = {}) {
  const e = await createEdition(db, {
    capacity,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "free", priceCents: 0 },
    ],
  });
  const held = await holdSeats(db, e, capacity, "standard");
  const entry = await addTestEntry(db, e, { seats, acceptsFewer });
  const next = await addTestEntry(db, e);
  await lapseHold(held.id);
  const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: entry.id } });
  return { e, entry, next, offer };
}

async function lapseHold(orderId: string) {
  await db.order.update({ where: { id: orderId }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
  await expireLapsedHolds(db, null);
}

const typeId = (e: Edition, code = "standard") => e.ticketTypes.find((type) => type.code === code)!.id;
const paid = (e: Edition, count = 1) => ({ ticketTypeId: typeId(e), priceCents: 4900, count });
const counters = async (e: Edition) => {
  const [row] = await db.$queryRaw<{ confirmed: number; held: number; reserved: number }[]>`
    SELECT confirmed, held, reserved FROM "EditionSeats" WHERE "editionId" = ${e.id}::uuid`;
  return row;
};
const publicLeft = async (e: Edition) => e.capacity - seatsTaken(await getSeatUsage(db, e.id));

describe("an order placed with a waiting-list offer", () => {
  it("takes the offer's seats while general sale is sold out, and converts the offer when paid", async () => {
    const { e, entry, next, offer } = await soldOut();
    const placed = await placeWithOffer(db, e, offer.id, paid(e));
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    expect(await counters(e)).toEqual({ confirmed: 0, held: 1, reserved: 0 });
    expect(await db.waitingListOffer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
      status: "OFFERED",
      orderId: placed.orderId,
    });

    await payOrder(db, placed.orderId);
    expect(await entryState(db, entry.id)).toMatchObject({ status: "CONVERTED", offer: { status: "CONVERTED" } });
    expect(await db.seatAllocation.findUniqueOrThrow({ where: { id: offer.allocationId } })).toMatchObject({
      used: 1,
      releasedAt: expect.any(Date),
    });
    expect(await counters(e)).toEqual({ confirmed: 1, held: 0, reserved: 0 });
    expect(await entryState(db, next.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("passes the seats it did not use to the next entry at conversion", async () => {
    const { e, entry, next, offer } = await soldOut({ capacity: 2, seats: 2 });
    expect(offer.seats).toBe(2);
    const placed = await placeWithOffer(db, e, offer.id, paid(e, 1));
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await payOrder(db, placed.orderId);
    expect(await entryState(db, entry.id)).toMatchObject({ status: "CONVERTED" });
    expect(await entryState(db, next.id)).toMatchObject({ status: "OFFERED", offer: { seats: 1 } });
    expect(await counters(e)).toEqual({ confirmed: 1, held: 0, reserved: 1 });
    expect(await publicLeft(e)).toBe(0);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("refuses with GS008 and why: wrong type, too many, an order running, closed, expired", async () => {
    const { e, offer } = await soldOut();
    const refused = (detail: string) => ({ ok: false, state: "GS008", detail });
    expect(await placeWithOffer(db, e, offer.id, { ticketTypeId: typeId(e, "free"), priceCents: 0 })).toEqual(
      refused("wrong_type"),
    );
    expect(await placeWithOffer(db, e, offer.id, paid(e, 2))).toEqual(refused("too_many"));
    expect(await placeWithOffer(db, e, offer.id, paid(e))).toMatchObject({ ok: true });
    expect(await placeWithOffer(db, e, offer.id, paid(e))).toEqual(refused("order_running"));

    const late = await soldOut();
    await db.waitingListOffer.update({ where: { id: late.offer.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await placeWithOffer(db, late.e, late.offer.id, paid(late.e))).toEqual(refused("expired"));
    await db.$transaction(async (tx) => {
      await lockEdition(tx, late.e.id);
      await tx.$queryRaw`SELECT guichet_waitlist_close_offer(${late.offer.id}::uuid, 'DECLINED')`;
    });
    expect(await placeWithOffer(db, late.e, late.offer.id, paid(late.e))).toEqual(refused("closed"));
    expect(await seatCounterDrift(db)).toEqual([]);
  });

  it("gives a lapsed hold's seats back to the offer: the person may try again until the deadline", async () => {
    const { e, offer } = await soldOut();
    const first = await placeWithOffer(db, e, offer.id, paid(e));
    if (!first.ok) throw new Error(JSON.stringify(first));
    await lapseHold(first.orderId);
    expect(await counters(e)).toEqual({ confirmed: 0, held: 0, reserved: 1 });
    expect(await publicLeft(e)).toBe(0);
    expect(await placeWithOffer(db, e, offer.id, paid(e))).toMatchObject({ ok: true });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("converts a free order at placement", async () => {
    const { e, entry, offer } = await soldOut();
    await db.waitingListOffer.update({ where: { id: offer.id }, data: { ticketTypeId: typeId(e, "free") } });
    await db.seatAllocation.update({ where: { id: offer.allocationId }, data: { ticketTypeId: typeId(e, "free") } });
    const placed = await placeWithOffer(db, e, offer.id, { ticketTypeId: typeId(e, "free"), priceCents: 0 });
    expect(placed).toMatchObject({ ok: true });
    expect(await entryState(db, entry.id)).toMatchObject({ status: "CONVERTED", offer: { status: "CONVERTED" } });
    expect(await counters(e)).toEqual({ confirmed: 1, held: 0, reserved: 0 });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });
});
