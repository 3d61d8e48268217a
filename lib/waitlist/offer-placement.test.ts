import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, entryState, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { registerAttendee, type RegistrationGuard } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";

// The registration with a waiting-list offer's token: the offer's held seats, while general sale is sold out.
const { db } = await useTestDatabase();
const { payOrder } = await useLocalStripe();
const HOLD = { holdMinutes: 30 };

/** A sold-out edition whose held seats lapse: the first entry is offered them, a second one waits behind. */
async function soldOut({ capacity = 1, seats = 1 } = {}) {
  const e = await createEdition(db, {
    capacity,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "student", priceCents: 1900 },
    ],
  });
  const held = await holdSeats(db, e, capacity, "standard");
  const entry = await addTestEntry(db, e, { seats, types: ["standard"] });
  const next = await addTestEntry(db, e, { types: ["standard"] });
  await lapseHolds(db, [held], { release: false });
  await expireLapsedHolds(db, null);
  const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: entry.id } });
  return { e, entry, next, offer };
}

const group = (count: number, ticketType = "standard", extra: Record<string, unknown> = {}) => ({
  buyer: { firstName: "Offered", lastName: "Buyer", email: "offered.buyer@example.org" },
  tickets: Array.from({ length: count }, (_, n) => ({
    ticketType,
    attendee: { firstName: "Offered", lastName: `Person ${n}`, email: `offered.${n}@example.org` },
  })),
  locale: "en",
  ...extra,
});

describe("registering with a waiting-list offer", () => {
  it("takes the offer's seats while the public is told sold out, and converts the offer once paid", async () => {
    const { e, entry, offer } = await soldOut();
    expect(await registerAttendee(db, e.slug, attendeeRequest("standard", "public"), HOLD)).toMatchObject({
      ok: false,
      reason: "sold_out",
    });

    const placed = await registerAttendee(db, e.slug, group(1), { ...HOLD, offer: entry.token });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    expect(placed.order).toMatchObject({ status: "PENDING", amountCents: 4900, paymentMethod: "CARD" });
    expect(await db.waitingListOffer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
      orderId: placed.order.id,
    });
    await payOrder(db, placed.order.id);
    expect(await entryState(db, entry.id)).toMatchObject({ status: "CONVERTED", offer: { status: "CONVERTED" } });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("buys fewer seats than offered: the unused ones go to the next entry at conversion", async () => {
    const { e, entry, next } = await soldOut({ capacity: 2, seats: 2 });
    const placed = await registerAttendee(db, e.slug, group(1), { ...HOLD, offer: entry.token });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await payOrder(db, placed.order.id);
    expect(await entryState(db, next.id)).toMatchObject({ status: "OFFERED", offer: { seats: 1 } });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("sells a type hidden since it was offered to the offer's holder, and to nobody else without a code", async () => {
    const { e, entry } = await soldOut();
    await db.ticketType.update({ where: { id: e.ticketTypes[0].id }, data: { hidden: true } });
    expect(await registerAttendee(db, e.slug, attendeeRequest("standard", "public"), HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { ticketType: ["unknown_ticket_type"] },
    });
    const placed = await registerAttendee(db, e.slug, group(1), { ...HOLD, offer: entry.token });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await payOrder(db, placed.order.id);
    expect(await entryState(db, entry.id)).toMatchObject({ status: "CONVERTED", offer: { status: "CONVERTED" } });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("refuses as values, with why: no offer, another type, too many, an order running, a transfer", async () => {
    const { e, entry, next } = await soldOut();
    const withOffer = { ...HOLD, offer: entry.token };
    const unavailable = (detail: string) => ({ ok: false, reason: "offer_unavailable", detail });
    expect(await registerAttendee(db, e.slug, group(1), { ...HOLD, offer: next.token })).toEqual(unavailable("closed"));
    expect(await registerAttendee(db, e.slug, group(1), { ...HOLD, offer: "no-such-token" })).toEqual(
      unavailable("closed"),
    );
    expect(await registerAttendee(db, e.slug, group(1, "student"), withOffer)).toEqual(unavailable("wrong_type"));
    expect(await registerAttendee(db, e.slug, group(2), withOffer)).toEqual(unavailable("too_many"));
    expect(await registerAttendee(db, e.slug, group(1, "standard", { paymentMethod: "transfer" }), withOffer)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { paymentMethod: ["transfer_unavailable"] },
    });
    expect(await registerAttendee(db, e.slug, group(1), withOffer)).toMatchObject({ ok: true });
    expect(await registerAttendee(db, e.slug, attendeeRequest("standard", 9), withOffer)).toEqual(
      unavailable("order_running"),
    );
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("goes through the same guard as any registration", async () => {
    const { e, entry } = await soldOut();
    const guard: RegistrationGuard = { admit: async () => ({ ok: false, reason: "rate_limited" }) };
    expect(await registerAttendee(db, e.slug, group(1), { ...HOLD, guard, offer: entry.token })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    expect(await entryState(db, entry.id)).toMatchObject({ status: "OFFERED", offer: { status: "OFFERED" } });
  });
});
