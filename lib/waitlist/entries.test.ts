import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { testPerson } from "@/devtools/testing/vouchers";
import { addTestEntry, entryState } from "@/devtools/testing/waitlist";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { placeOrder } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { declineOffer, leaveWaitingList, loadEntryPage, removeEntry } from "./entries";

const { db } = await useTestDatabase();
const actor = await createOrganiser(db);

/** A sold-out edition of `capacity` whose `freed` holds lapse, with `count` entries joined before (seats 1 each). */
async function line({ capacity = 1, freed = 1, count = 3 } = {}) {
  const e = await createEdition(db, {
    capacity,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "student", priceCents: 1900 },
    ],
  });
  const holds = [];
  for (let i = 0; i < capacity; i += 1) {
    const placed = await placeOrder(db, {
      edition: e,
      buyer: testPerson(`buyer${i}`),
      tickets: [{ ticketType: e.ticketTypes[0], attendee: testPerson(`a${i}`), answers: {}, priceCents: 4900 }],
      locale: "en",
      holdExpiresAt: new Date(Date.now() + 35 * 60_000),
      now: new Date(),
    });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    holds.push(placed.order.id);
  }
  const entries = [];
  for (let i = 0; i < count; i += 1) entries.push(await addTestEntry(db, e));
  await db.order.updateMany({
    where: { id: { in: holds.slice(0, freed) } },
    data: { holdExpiresAt: new Date(Date.now() - 1000) },
  });
  await expireLapsedHolds(db, null);
  return { e, entries };
}

const offered = { status: "OFFERED", offer: { status: "OFFERED", seats: 1 } };

describe("leaving, declining, removing: the next entry is offered the seats in the same transaction", () => {
  it("leaves the list from the private link, an open offer withdrawn; twice is harmless", async () => {
    const { e, entries } = await line();
    const [a, b] = entries;
    expect(await entryState(db, a.id)).toMatchObject(offered);

    expect(await leaveWaitingList(db, a.token)).toEqual({ ok: true, closed: true });
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
      status: "REMOVED",
      removedBy: "self",
      closedAt: expect.any(Date),
    });
    expect(await entryState(db, a.id)).toMatchObject({ offer: { status: "WITHDRAWN" } });
    expect(await entryState(db, b.id)).toMatchObject(offered);

    expect(await leaveWaitingList(db, a.token)).toEqual({ ok: true, closed: false });
    expect(await entryState(db, b.id)).toMatchObject(offered);
    expect(await leaveWaitingList(db, "unknown")).toEqual({ ok: false, reason: "not_found" });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("a waiting entry leaves without touching anyone's offer", async () => {
    const { entries } = await line();
    const [a, b, c] = entries;
    expect(await leaveWaitingList(db, b.token)).toEqual({ ok: true, closed: true });
    expect(await entryState(db, a.id)).toMatchObject(offered);
    expect(await entryState(db, b.id)).toMatchObject({ status: "REMOVED", offer: null });
    expect(await entryState(db, c.id)).toMatchObject({ status: "WAITING", offer: null });
  });

  it("declines an offer: the offer and the entry close DECLINED; twice is harmless", async () => {
    const { e, entries } = await line();
    const [a, b, c] = entries;
    expect(await declineOffer(db, a.token)).toEqual({ ok: true, closed: true });
    expect(await entryState(db, a.id)).toMatchObject({ status: "DECLINED", offer: { status: "DECLINED" } });
    expect(await entryState(db, b.id)).toMatchObject(offered);

    expect(await declineOffer(db, a.token)).toEqual({ ok: true, closed: false });
    expect(await declineOffer(db, c.token)).toEqual({ ok: true, closed: false });
    expect(await entryState(db, c.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await declineOffer(db, "unknown")).toEqual({ ok: false, reason: "not_found" });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("the organiser removes an entry, audited once; its offer goes to the next", async () => {
    const { e, entries } = await line();
    const [a, b] = entries;
    expect(await removeEntry(db, actor, a.id)).toEqual({ ok: true, closed: true });
    expect(await removeEntry(db, actor, a.id)).toEqual({ ok: true, closed: false });
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
      status: "REMOVED",
      removedBy: "organiser",
    });
    expect(await entryState(db, b.id)).toMatchObject(offered);
    const audit = await db.auditEntry.findMany({ where: { editionId: e.id, action: "waitlist.removed" } });
    expect(audit).toMatchObject([{ actorId: actor.id, subjectType: "waitlist_entry", subjectId: a.id }]);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });
});

describe("an entry's private page", () => {
  it("shows the place in line among waiting entries, the types asked and the offer with its deadline", async () => {
    const { e, entries } = await line({ count: 3 });
    const [a, b, c] = entries;
    const first = await loadEntryPage(db, a.token);
    expect(first).toMatchObject({
      entry: { id: a.id, status: "OFFERED", position: null, seatsWanted: 1 },
      edition: { id: e.id, slug: e.slug, currency: e.currency },
      offer: { status: "OFFERED", seats: 1, ticketType: { code: "standard", priceCents: 4900 } },
    });
    expect(first!.entry.ticketTypes.map((type) => type.code)).toEqual(["standard", "student"]);
    expect(first!.offer!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await loadEntryPage(db, b.token)).toMatchObject({ entry: { position: 1 }, offer: null });
    expect(await loadEntryPage(db, c.token)).toMatchObject({ entry: { position: 2 }, offer: null });

    await leaveWaitingList(db, b.token);
    expect(await loadEntryPage(db, c.token)).toMatchObject({ entry: { position: 1 } });
    expect(await loadEntryPage(db, "unknown")).toBeNull();
  });

  it("shows a group's gathering: the seats kept so far", async () => {
    const { e } = await line({ capacity: 3, freed: 0, count: 0 });
    const group = await addTestEntry(db, e, { seats: 3 });
    await db.waitingListEntry.update({ where: { id: group.id }, data: { passedOver: 3 } });
    const one = await db.order.findFirstOrThrow({ where: { editionId: e.id } });
    await db.order.update({ where: { id: one.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    await expireLapsedHolds(db, null);
    expect(await loadEntryPage(db, group.token)).toMatchObject({
      entry: { status: "WAITING", position: 1, seatsWanted: 3 },
      offer: { status: "GATHERING", seats: 1, expiresAt: null },
    });
  });
});
