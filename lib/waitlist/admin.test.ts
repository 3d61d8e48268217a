import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { testPerson } from "@/devtools/testing/vouchers";
import { addTestEntry, entryState, placeWithOffer } from "@/devtools/testing/waitlist";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { placeOrder } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { listWaitingList, offerManually, setWaitingListPaused, waitingListFigures } from "./admin";
import { declineOffer, leaveWaitingList, removeEntry } from "./entries";
import { expireOffers } from "./sweep";

const { db } = await useTestDatabase();
const { payOrder } = await useLocalStripe();
const actor = await createOrganiser(db);

/** A sold-out edition of `capacity` seats, all held by one order, and `count` entries of one seat behind it. */
async function soldOut(capacity: number, count: number) {
  const e = await createEdition(db, { capacity, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await placeOrder(db, {
    edition: e,
    buyer: testPerson("buyer"),
    tickets: Array.from({ length: capacity }, (_, i) => ({
      ticketType: e.ticketTypes[0],
      attendee: testPerson(`a${i}`),
      answers: {},
      priceCents: 4900,
    })),
    locale: "en",
    holdExpiresAt: new Date(Date.now() + 35 * 60_000),
    now: new Date(),
  });
  if (!held.ok) throw new Error(JSON.stringify(held));
  const entries = [];
  for (let i = 0; i < count; i += 1) entries.push(await addTestEntry(db, e));
  const lapse = async () => {
    await db.order.update({ where: { id: held.order.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    await expireLapsedHolds(db, null);
  };
  return { e, entries, lapse };
}

describe("the organiser's waiting list", () => {
  it("lists the entries by position with their latest offer and its order, narrowed by status", async () => {
    const { e, entries, lapse } = await soldOut(1, 3);
    await lapse();
    const [a, b, c] = entries;
    const placed = await placeWithOffer(
      db,
      e,
      (await db.waitingListOffer.findFirstOrThrow({ where: { entryId: a.id } })).id,
      {
        ticketTypeId: e.ticketTypes[0].id,
        priceCents: 4900,
      },
    );
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.orderId } });

    const all = await listWaitingList(db, e.id);
    expect(all.map((entry) => entry.id)).toEqual([a.id, b.id, c.id]);
    expect(all[0].position).toBeLessThan(all[1].position);
    expect(all[0]).toMatchObject({
      status: "OFFERED",
      seatsWanted: 1,
      ticketTypes: [{ code: "standard" }],
      offer: {
        status: "OFFERED",
        seats: 1,
        manual: false,
        orderReference: order.reference,
        expiresAt: expect.any(Date),
      },
    });
    expect(all[1]).toMatchObject({ status: "WAITING", offer: null });
    expect((await listWaitingList(db, e.id, { status: "WAITING" })).map((entry) => entry.id)).toEqual([b.id, c.id]);
    expect(await listWaitingList(db, e.id, { status: "CONVERTED" })).toEqual([]);

    // Paid: the offer shows the tickets its order took. Those who left are told apart from those removed.
    await payOrder(db, placed.orderId);
    expect(await leaveWaitingList(db, b.token)).toMatchObject({ ok: true });
    expect(await removeEntry(db, actor, c.id)).toMatchObject({ ok: true });
    const after = await listWaitingList(db, e.id);
    expect(after.map((entry) => [entry.status, entry.shownStatus, entry.offer?.ticketsTaken ?? null])).toEqual([
      ["CONVERTED", "CONVERTED", 1],
      ["REMOVED", "LEFT", null],
      ["REMOVED", "REMOVED", null],
    ]);
  });

  it("pauses (freed seats go to the public) and resumes, serving at once; both audited, twice harmless", async () => {
    const { e, entries, lapse } = await soldOut(1, 1);
    const [a] = entries;
    expect(await setWaitingListPaused(db, actor, e.id, true)).toEqual({ changed: true, offers: 0 });
    expect(await setWaitingListPaused(db, actor, e.id, true)).toEqual({ changed: false, offers: 0 });
    await lapse();
    expect(await entryState(db, a.id)).toMatchObject({ status: "WAITING", offer: null });

    expect(await setWaitingListPaused(db, actor, e.id, false)).toEqual({ changed: true, offers: 1 });
    expect(await entryState(db, a.id)).toMatchObject({ status: "OFFERED", offer: { status: "OFFERED", seats: 1 } });
    expect(await db.edition.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ waitingListPaused: false });
    const audit = await db.auditEntry.findMany({ where: { editionId: e.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => [entry.action, entry.subjectId])).toEqual([
      ["waitlist.paused", e.id],
      ["waitlist.resumed", e.id],
    ]);
  });

  it("counts entries, seats wanted and offers; the conversion rate only once an offer has closed", async () => {
    const { e, entries, lapse } = await soldOut(3, 4);
    const [a, b, c, d] = entries;
    expect(await waitingListFigures(db, e.id)).toEqual({
      entries: { WAITING: 4, OFFERED: 0, CONVERTED: 0, LAPSED: 0, DECLINED: 0, REMOVED: 0 },
      waitingSeats: 4,
      offersOut: 0,
      offeredSeats: 0,
      converted: 0,
      lapsed: 0,
      declined: 0,
      conversionRate: null,
    });

    await lapse();
    const offerOf = async (entryId: string) => db.waitingListOffer.findFirstOrThrow({ where: { entryId } });
    const placed = await placeWithOffer(db, e, (await offerOf(a.id)).id, {
      ticketTypeId: e.ticketTypes[0].id,
      priceCents: 4900,
    });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await payOrder(db, placed.orderId);
    expect(await declineOffer(db, b.token)).toEqual({ ok: true, closed: true });
    expect(await removeEntry(db, actor, c.id)).toEqual({ ok: true, closed: true });
    expect(await waitingListFigures(db, e.id)).toMatchObject({
      entries: { WAITING: 0, OFFERED: 1, CONVERTED: 1, DECLINED: 1, REMOVED: 1 },
      waitingSeats: 0,
      offersOut: 1,
      offeredSeats: 1,
      conversionRate: 0.5,
    });

    await expireOffers(db, new Date(Date.now() + 7 * 24 * 3600_000));
    expect(await entryState(db, d.id)).toMatchObject({ status: "LAPSED" });
    await addTestEntry(db, e, { seats: 2 });
    expect(await waitingListFigures(db, e.id)).toEqual({
      entries: { WAITING: 1, OFFERED: 0, CONVERTED: 1, LAPSED: 1, DECLINED: 1, REMOVED: 1 },
      waitingSeats: 2,
      offersOut: 0,
      offeredSeats: 0,
      converted: 1,
      lapsed: 1,
      declined: 1,
      conversionRate: 1 / 3,
    });
  });
});

describe("offering seats by hand", () => {
  it("offers a later entry fewer seats than asked, out of order and while paused; only the room there is", async () => {
    const { e, entries, lapse } = await soldOut(2, 2);
    const a = entries[0];
    const b = await db.waitingListEntry.update({ where: { id: entries[1].id }, data: { seatsWanted: 3 } });
    const type = e.ticketTypes[0].id;
    const offer = (entryId: string, seats: string | number) =>
      offerManually(db, actor, entryId, { seats, ticketTypeId: type });
    expect(await offer(b.id, "1")).toEqual({ ok: false, reason: "not_enough_seats", seatsLeft: 0 });
    await setWaitingListPaused(db, actor, e.id, true);
    await lapse();
    expect(await offer(b.id, "4")).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { seats: ["offer_seats_range"] },
    });
    expect(await offerManually(db, actor, b.id, { seats: "1", ticketTypeId: a.id })).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { ticketTypeId: expect.any(Array) },
    });
    expect(await offer(b.id, "3")).toEqual({ ok: false, reason: "not_enough_seats", seatsLeft: 2 });

    expect(await offer(b.id, 1)).toEqual({ ok: true, offerId: expect.any(String) });
    expect(await entryState(db, b.id)).toMatchObject({ status: "OFFERED", offer: { status: "OFFERED", seats: 1 } });
    expect(await db.waitingListOffer.findFirstOrThrow({ where: { entryId: b.id } })).toMatchObject({ manual: true });
    expect(await entryState(db, a.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await offer(b.id, "1")).toEqual({ ok: false, reason: "not_waiting" });
    expect(await offer(a.id, "1")).toEqual({ ok: true, offerId: expect.any(String) });
    expect(await offer(a.id, "1")).toEqual({ ok: false, reason: "not_enough_seats", seatsLeft: 0 });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
    const audit = await db.auditEntry.findMany({
      where: { editionId: e.id, action: "waitlist.offered" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((entry) => [entry.subjectId, entry.after])).toEqual([
      [b.id, { seats: 1, ticketTypeId: type }],
      [a.id, { seats: 1, ticketTypeId: type }],
    ]);
  });

  it("offers nothing within 2 hours of the start, when the list offers nothing any more", async () => {
    const { e, entries, lapse } = await soldOut(1, 1);
    await setWaitingListPaused(db, actor, e.id, true);
    await lapse();
    await db.edition.update({ where: { id: e.id }, data: { startsAt: new Date(Date.now() + 3_600_000) } });
    expect(await offerManually(db, actor, entries[0].id, { seats: "1", ticketTypeId: e.ticketTypes[0].id })).toEqual({
      ok: false,
      reason: "waiting_list_closed",
    });
    expect(await entryState(db, entries[0].id)).toMatchObject({ status: "WAITING", offer: null });
  });
});
