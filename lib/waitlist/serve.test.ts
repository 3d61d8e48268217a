import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, entryState, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { recountSeats, seatCounterDrift } from "@/lib/capacity/counters";
import { getSeatUsage, lockEdition, seatsTaken } from "@/lib/capacity/seats";
import {
  createAllocation,
  listAllocations,
  releaseAllocation,
  releaseDueAllocations,
} from "@/lib/vouchers/allocations";
import { serveWaitingList } from "./serve";

const { db } = await useTestDatabase();
const actor = await createOrganiser(db);
const HOUR = 3_600_000;

type Edition = Awaited<ReturnType<typeof edition>>;

type TypeFixture = { code: string; quota?: number | null; salesStartAt?: Date | null };
const edition = (capacity: number, types: TypeFixture[] = [{ code: "standard" }]) =>
  createEdition(db, { capacity, ticketTypes: types.map((type) => ({ ...type, priceCents: 4900 })) });

const typeOf = (e: Edition, code: string) => e.ticketTypes.find((type) => type.code === code)!;

/** A public hold of `count` seats of one type, as the registration form places it. */
const hold = (e: Edition, count = 1, type = "standard") => holdSeats(db, e, count, type);

/** Holds run out and the sweep releases them: their seats free up, as they do every day. */
const lapse = (...orders: { id: string }[]) => lapseHolds(db, orders);

/** What the organiser's capacity edit does: the edition lock, then the row (its trigger serves the list). */
const setCapacity = (e: Edition, capacity: number) =>
  db.$transaction(async (tx) => {
    await lockEdition(tx, e.id);
    await tx.edition.update({ where: { id: e.id }, data: { capacity } });
  });

const publicLeft = async (e: Edition) => {
  const { capacity } = await db.edition.findUniqueOrThrow({ where: { id: e.id } });
  return capacity - seatsTaken(await getSeatUsage(db, e.id));
};
const states = (...entries: { id: string }[]) => Promise.all(entries.map((entry) => entryState(db, entry.id)));
const single = (type = "standard") => ({ status: "OFFERED", offer: { status: "OFFERED", seats: 1, type } });

describe("a freed seat goes to the first entry in line that fits, in the transaction that frees it", () => {
  it("offers in strict order, one seat each, and the public never sees the seat", async () => {
    const e = await edition(3);
    const holds = [await hold(e), await hold(e), await hold(e)];
    const [a, b, c] = [await addTestEntry(db, e), await addTestEntry(db, e), await addTestEntry(db, e)];

    await lapse(holds[0]);
    expect(await states(a, b, c)).toMatchObject([single(), { status: "WAITING", offer: null }, { offer: null }]);
    expect(await publicLeft(e)).toBe(0);
    await lapse(holds[2]);
    expect(await states(b, c)).toMatchObject([single(), { status: "WAITING", offer: null }]);
    const offer = await db.waitingListOffer.findFirstOrThrow({
      where: { entryId: a.id },
      include: { allocation: true },
    });
    expect(offer.allocation).toMatchObject({
      kind: "OFFER",
      seats: 1,
      used: 0,
      ticketTypeId: typeOf(e, "standard").id,
    });
    expect(offer.expiresAt!.getTime() - offer.offeredAt!.getTime()).toBe(24 * HOUR);
    expect(offer.allocation.releaseAt).toEqual(offer.expiresAt);
    const emails = await db.emailOutbox.findMany({
      where: { kind: "waitlist_offer", toAddress: { in: [a.email, b.email] } },
    });
    expect(emails.map((email) => email.dedupeKey).sort()).toHaveLength(2);
    expect(emails.find((email) => email.toAddress === a.email)?.dedupeKey).toBe(`waitlist_offer:${offer.id}`);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("offers the first acceptable type in the edition's order that has room", async () => {
    const e = await edition(4, [{ code: "standard", quota: 2 }, { code: "student" }]);
    const holds = [await hold(e), await hold(e), await hold(e, 1, "student"), await hold(e, 1, "student")];
    const both = await addTestEntry(db, e, { types: ["student", "standard"] });
    const either = await addTestEntry(db, e, { types: ["student", "standard"] });

    await lapse(holds[2]);
    // The student seat freed, standard's quota full: the student type, the only one with room.
    expect(await entryState(db, both.id)).toMatchObject(single("student"));
    await lapse(holds[0]);
    expect(await entryState(db, either.id)).toMatchObject(single("standard"));
  });

  it("offers a group that accepts fewer what is free, at least one seat", async () => {
    const e = await edition(2);
    await hold(e, 2);
    const group = await addTestEntry(db, e, { seats: 3, acceptsFewer: true });
    const after = await addTestEntry(db, e);

    await setCapacity(e, 4);
    expect(await states(group, after)).toMatchObject([
      { status: "OFFERED", offer: { status: "OFFERED", seats: 2 } },
      { status: "WAITING", offer: null },
    ]);
  });

  it("passes an exact group over by up to its number, then gathers seats for it until it is whole", async () => {
    const e = await edition(4);
    const holds = [await hold(e), await hold(e), await hold(e), await hold(e)];
    const group = await addTestEntry(db, e, { seats: 2 });
    const [a, b, c] = [await addTestEntry(db, e), await addTestEntry(db, e), await addTestEntry(db, e)];

    await lapse(holds[0]);
    await lapse(holds[1]);
    expect(await states(group, a, b)).toMatchObject([
      { status: "WAITING", passedOver: 2, offer: null },
      single(),
      single(),
    ]);
    // Passed over by its own number: the next seat is kept for it, and nobody behind passes it any more.
    await lapse(holds[2]);
    expect(await states(group, c)).toMatchObject([
      { status: "WAITING", offer: { status: "GATHERING", seats: 1 } },
      { status: "WAITING", offer: null },
    ]);
    expect(await publicLeft(e)).toBe(0);
    await lapse(holds[3]);
    expect(await states(group, c)).toMatchObject([
      { status: "OFFERED", offer: { status: "OFFERED", seats: 2 } },
      { status: "WAITING", offer: null },
    ]);
    expect(await db.emailOutbox.count({ where: { kind: "waitlist_offer", toAddress: group.email } })).toBe(1);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("dissolves a gathering at the last call (48 h before the start) and serves only entries that fit", async () => {
    const e = await edition(3);
    const holds = [await hold(e), await hold(e), await hold(e)];
    const group = await addTestEntry(db, e, { seats: 3 });
    await db.waitingListEntry.update({ where: { id: group.id }, data: { passedOver: 3 } });
    const behind = await addTestEntry(db, e);
    await lapse(holds[0]);
    expect(await states(group, behind)).toMatchObject([{ offer: { status: "GATHERING", seats: 1 } }, { offer: null }]);

    await db.edition.update({ where: { id: e.id }, data: { startsAt: new Date(Date.now() + 30 * HOUR) } });
    await lapse(holds[1]);
    expect(await states(group, behind)).toMatchObject([
      { status: "WAITING", offer: { status: "WITHDRAWN", seats: 1 } },
      single(),
    ]);
    const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: behind.id, status: "OFFERED" } });
    expect(await publicLeft(e)).toBe(1);
    // 30 h before the start: an eighth of the time left, 3 h.
    expect(offer.expiresAt!.getTime() - offer.offeredAt!.getTime()).toBe(3 * HOUR);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("offers the seats a raised quota gives", async () => {
    const e = await edition(10, [{ code: "standard", quota: 1 }]);
    await hold(e);
    const entry = await addTestEntry(db, e);
    await db.ticketType.update({ where: { id: typeOf(e, "standard").id }, data: { quota: 2 } });
    expect(await entryState(db, entry.id)).toMatchObject(single());
  });

  it("offers a type's seats when it goes on sale", async () => {
    const e = await edition(2, [
      { code: "standard" },
      { code: "late", salesStartAt: new Date(Date.now() + 24 * HOUR) },
    ]);
    await hold(e);
    const entry = await addTestEntry(db, e, { types: ["late"] });
    await setCapacity(e, 3);
    // Room, but not for a type off sale: it stays the public's.
    expect(await entryState(db, entry.id)).toMatchObject({ status: "WAITING", offer: null });
    await db.ticketType.update({ where: { id: typeOf(e, "late").id }, data: { salesStartAt: null } });
    expect(await entryState(db, entry.id)).toMatchObject(single("late"));
  });

  it("offers a released block's seats", async () => {
    const e = await edition(3);
    const created = await createAllocation(
      db,
      actor,
      e.id,
      {
        name: "Acme",
        seats: "2",
        ticketTypeId: "",
        releaseAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString().slice(0, 16),
      },
      new Date(),
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    await hold(e);
    const group = await addTestEntry(db, e, { seats: 2 });
    await releaseAllocation(db, actor, e.id, created.allocation.id, new Date());
    expect(await entryState(db, group.id)).toMatchObject({ status: "OFFERED", offer: { seats: 2 } });
    expect(await publicLeft(e)).toBe(0);
  });

  it("while paused sells freed seats to the public; resuming serves at once", async () => {
    const e = await edition(2);
    const holds = [await hold(e), await hold(e)];
    const entry = await addTestEntry(db, e);
    await db.edition.update({ where: { id: e.id }, data: { waitingListPaused: true } });
    await lapse(holds[0]);
    expect(await entryState(db, entry.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await publicLeft(e)).toBe(1);

    await db.edition.update({ where: { id: e.id }, data: { waitingListPaused: false } });
    expect(await db.$transaction((tx) => serveWaitingList(tx, e.id))).toBe(1);
    expect(await entryState(db, entry.id)).toMatchObject(single());
    expect(await publicLeft(e)).toBe(0);
  });

  it("leaves seats to the public when no waiting entry could use them", async () => {
    const e = await edition(3, [{ code: "standard" }, { code: "vip", quota: 1 }]);
    const holds = [await hold(e), await hold(e), await hold(e, 1, "vip")];
    const vipOnly = await addTestEntry(db, e, { types: ["vip"], seats: 1 });
    await lapse(holds[0]);
    expect(await entryState(db, vipOnly.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await publicLeft(e)).toBe(1);
  });

  it("offers a capacity raise to the first fitting entries at once, and nothing to the public", async () => {
    const e = await edition(4);
    await hold(e, 4);
    const a = await addTestEntry(db, e);
    const big = await addTestEntry(db, e, { seats: 6 });
    const trio = await addTestEntry(db, e, { seats: 3 });
    const c = await addTestEntry(db, e);
    const fewer = await addTestEntry(db, e, { seats: 2, acceptsFewer: true });
    const last = await addTestEntry(db, e);

    await setCapacity(e, 10);
    expect(await states(a, big, trio, c, fewer, last)).toMatchObject([
      { status: "OFFERED", offer: { seats: 1 } },
      { status: "WAITING", passedOver: 5, offer: null },
      { status: "OFFERED", offer: { seats: 3 } },
      { status: "OFFERED", offer: { seats: 1 } },
      { status: "OFFERED", offer: { seats: 1 } },
      { status: "WAITING", offer: null },
    ]);
    expect(await publicLeft(e)).toBe(0);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
    // The back office's recount finds the offers' blocks as the triggers left them.
    expect(await db.$transaction((tx) => recountSeats(tx, e.id))).toBe(0);
  });

  it("keeps an offer's block the list's own: not among the blocks, never released by their job or form", async () => {
    const e = await edition(1);
    const held = await hold(e);
    const entry = await addTestEntry(db, e);
    await lapse(held);
    const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: entry.id } });
    expect(await listAllocations(db, e.id)).toEqual([]);
    expect(await releaseDueAllocations(db, new Date(offer.expiresAt!.getTime() + HOUR))).toBe(0);
    expect(await releaseAllocation(db, actor, e.id, offer.allocationId, new Date())).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await entryState(db, entry.id)).toMatchObject(single());
    expect(await publicLeft(e)).toBe(0);
  });

  // Last in this file: it empties every edition's orders.
  it("releases the blocks of the offers a TRUNCATE of the orders takes with them (benches start afresh)", async () => {
    const e = await edition(1);
    const held = await hold(e);
    await addTestEntry(db, e);
    await lapse(held);
    await db.$executeRawUnsafe(`TRUNCATE "Order" CASCADE`);
    expect(await db.waitingListOffer.count({ where: { editionId: e.id } })).toBe(0);
    expect(await db.seatAllocation.count({ where: { editionId: e.id, releasedAt: null } })).toBe(0);
    expect(await publicLeft(e)).toBe(1);
    expect(await seatCounterDrift(db)).toEqual([]);
  });
});
