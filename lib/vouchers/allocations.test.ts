import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createTestVoucher, placeWithCode, testPerson } from "@/devtools/testing/vouchers";
import { driftSize, seatCounterDrift } from "@/lib/capacity/counters";
import { getSeatUsage, seatsLeft, seatsTaken } from "@/lib/capacity/seats";
import { recountEditionSeats } from "@/lib/editions/seat-recount";
import { getEditionOffer } from "@/lib/editions/queries";
import { placeOrder, registerAttendee } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import {
  createAllocation,
  listAllocations,
  releaseAllocation,
  releaseDueAllocations,
  updateAllocation,
} from "./allocations";
import { findCode, offerWithCode, type RedeemableVoucher } from "./redeem";

const { db, newClient } = await useTestDatabase();
const actor = await createOrganiser(db);
const DAY = 86_400_000;

type Edition = Awaited<ReturnType<typeof edition>>;

const edition = (capacity: number, quota: number | null = null) =>
  createEdition(db, {
    capacity,
    ticketTypes: [
      { code: "standard", priceCents: 4900, quota },
      { code: "sponsor", priceCents: 4900 },
    ],
  });

const typeOf = (e: Edition, code: string) => e.ticketTypes.find((type) => type.code === code)!;

// The form's values: a release date `days` from now, as a wall-clock time in the edition's zone (UTC in fixtures).
const blockForm = (seats: number, { days = 30, ticketTypeId = "" } = {}) => ({
  name: "Acme",
  seats: String(seats),
  ticketTypeId,
  releaseAt: new Date(Date.now() + days * DAY).toISOString().slice(0, 16),
});

async function block(e: Edition, seats: number, options: Parameters<typeof blockForm>[1] = {}) {
  const created = await createAllocation(db, actor, e.id, blockForm(seats, options), new Date());
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.allocation;
}

/** One public order without a code, as the form places it. */
const buy = (e: Edition, count = 1, type = "standard") =>
  placeOrder(db, {
    edition: e,
    buyer: testPerson("buyer"),
    tickets: Array.from({ length: count }, (_, i) => ({
      ticketType: typeOf(e, type),
      attendee: testPerson(`a${i}`),
      answers: {},
      priceCents: typeOf(e, type).priceCents,
    })),
    locale: "en",
    holdExpiresAt: new Date(Date.now() + 35 * 60_000),
    checkOffer: true,
    now: new Date(),
  });

const counters = async (e: Edition) => {
  const [row] = await db.$queryRaw<{ confirmed: number; held: number; reserved: number }[]>`
    SELECT confirmed, held, reserved FROM "EditionSeats" WHERE "editionId" = ${e.id}::uuid`;
  return row;
};
const usedOf = async (id: string) => (await db.seatAllocation.findUniqueOrThrow({ where: { id } })).used;
const publicLeft = async (e: Edition) => e.capacity - seatsTaken(await getSeatUsage(db, e.id));

describe("a block of seats is kept out of general sale", () => {
  it("the public count never shows a reserved seat as free; general sale sells out around the block", async () => {
    const e = await edition(10);
    const acme = await block(e, 4);
    expect(await counters(e)).toEqual({ confirmed: 0, held: 0, reserved: 4 });
    expect(await publicLeft(e)).toBe(6);

    expect(await buy(e, 6)).toMatchObject({ ok: true });
    expect(await buy(e, 1)).toMatchObject({ ok: false, reason: "sold_out", left: 0 });
    expect(await publicLeft(e)).toBe(0);

    // The block's codes still get in: its seat moves from reserved to held.
    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id });
    const sponsor = await placeWithCode(db, e, code, { count: 3 });
    expect(sponsor).toMatchObject({ ok: true });
    expect(await counters(e)).toEqual({ confirmed: 0, held: 9, reserved: 1 });
    expect(await usedOf(acme.id)).toBe(3);
    expect(await db.ticket.count({ where: { allocationId: acme.id } })).toBe(3);

    // A full block's codes sell general seats, and there are none: refused, nothing held.
    expect(await placeWithCode(db, e, code, { count: 2 })).toMatchObject({ ok: false, reason: "sold_out" });
    expect(await placeWithCode(db, e, code)).toMatchObject({ ok: true });
    expect(await placeWithCode(db, e, code)).toMatchObject({ ok: false, reason: "sold_out" });
    expect(await counters(e)).toEqual({ confirmed: 0, held: 10, reserved: 0 });
  });

  it("a full block's codes buy general seats while general sale has some", async () => {
    const e = await edition(10);
    const acme = await block(e, 2);
    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id });
    const order = await placeWithCode(db, e, code, { count: 3 });
    if (!order.ok) throw new Error(order.reason);
    const tickets = await db.ticket.findMany({ where: { orderId: order.order.id }, orderBy: { position: "asc" } });
    expect(tickets.map((ticket) => ticket.allocationId)).toEqual([acme.id, acme.id, null]);
    expect(await counters(e)).toEqual({ confirmed: 0, held: 3, reserved: 0 });
    expect(await publicLeft(e)).toBe(7);
  });

  it("a block of one type comes out of that type's quota too, and takes only tickets of that type", async () => {
    const e = await edition(100, 6);
    const standard = typeOf(e, "standard");
    const acme = await block(e, 4, { ticketTypeId: standard.id });
    const usage = await getSeatUsage(db, e.id);
    expect(seatsLeft(e, standard, usage)).toBe(2);
    expect(seatsLeft(e, typeOf(e, "sponsor"), usage)).toBe(96);
    expect(await buy(e, 3)).toMatchObject({ ok: false, reason: "sold_out" });

    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id });
    expect(await placeWithCode(db, e, code, { count: 4 })).toMatchObject({ ok: true });
    expect(await buy(e, 2)).toMatchObject({ ok: true });
    expect(await buy(e, 1)).toMatchObject({ ok: false, reason: "sold_out" });
    // A ticket of another type with the block's code is a general seat.
    const other = await placeWithCode(db, e, code, { type: "sponsor" });
    if (!other.ok) throw new Error(other.reason);
    expect(await db.ticket.findFirst({ where: { orderId: other.order.id } })).toMatchObject({ allocationId: null });
  });

  it("30 concurrent sponsors on a 10-seat block while general sale is sold out: exactly 10 get in", async () => {
    const e = await edition(20);
    const acme = await block(e, 10);
    expect(await buy(e, 10)).toMatchObject({ ok: true });
    const code = await createTestVoucher(db, e, { maxUses: 100, allocationId: acme.id });
    const pools = [newClient(10), newClient(10)];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => placeWithCode(pools[i % 2], e, code)));
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    expect(results.filter((result) => !result.ok).every((result) => result.reason === "sold_out")).toBe(true);
    expect(await counters(e)).toEqual({ confirmed: 0, held: 20, reserved: 0 });
    expect(await usedOf(acme.id)).toBe(10);
    expect((await db.voucher.findUniqueOrThrow({ where: { id: code.id } })).used).toBe(10);
  });
});

describe("a block's code on the public form", () => {
  it("registers while general sale is sold out, and the page offers the block's seats to the code only", async () => {
    const e = await edition(5);
    const acme = await block(e, 2, { ticketTypeId: typeOf(e, "sponsor").id });
    await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id, typeIds: [typeOf(e, "sponsor").id] });
    const code = (await db.voucher.findFirstOrThrow({ where: { allocationId: acme.id } })).code;
    expect(await buy(e, 3)).toMatchObject({ ok: true });

    const offer = (await getEditionOffer(db, e.slug))!;
    const left = (voucher: RedeemableVoucher | null) =>
      Object.fromEntries(offerWithCode(offer, voucher, "EUR").map((type) => [type.code, type.seatsLeft]));
    expect(left(null)).toEqual({ standard: 0, sponsor: 0 });
    const found = await findCode(db, e.id, code, new Date());
    expect(found.ok && left(found.voucher)).toEqual({ standard: 0, sponsor: 2 });

    const register = (n: number) =>
      registerAttendee(db, e.slug, attendeeRequest("sponsor", `block-${n}`, { code }), { holdMinutes: 35 });
    expect(await register(1)).toMatchObject({ ok: true });
    expect(await register(2)).toMatchObject({ ok: true });
    expect(await register(3)).toMatchObject({ ok: false, reason: "sold_out" });
    expect(await counters(e)).toEqual({ confirmed: 0, held: 5, reserved: 0 });
  });
});

describe("a block's seats come back to it, then to general sale at its date", () => {
  it("a lapsed hold and a cancelled ticket give their seats back to the block while it is unreleased", async () => {
    const e = await edition(10);
    const acme = await block(e, 3);
    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id });
    const lapsing = await placeWithCode(db, e, code, { count: 2 });
    const kept = await placeWithCode(db, e, code, { held: false });
    if (!lapsing.ok || !kept.ok) throw new Error("not placed");
    expect(await counters(e)).toEqual({ confirmed: 1, held: 2, reserved: 0 });

    await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${lapsing.order.id}::uuid`;
    await expireLapsedHolds(db, null);
    expect(await counters(e)).toEqual({ confirmed: 1, held: 0, reserved: 2 });
    expect(await usedOf(acme.id)).toBe(1);

    await db.$executeRaw`UPDATE "Ticket" SET status = 'CANCELLED' WHERE "orderId" = ${kept.order.id}::uuid`;
    expect(await counters(e)).toEqual({ confirmed: 0, held: 0, reserved: 3 });
    expect(await publicLeft(e)).toBe(7);
  });

  it("the release job gives unused seats back at the date, once, however many instances run it", async () => {
    const e = await edition(10);
    const soon = await block(e, 4, { days: 1 });
    const later = await block(e, 2, { days: 10 });
    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: soon.id });
    expect(await placeWithCode(db, e, code, { held: false })).toMatchObject({ ok: true });
    expect(await counters(e)).toEqual({ confirmed: 1, held: 0, reserved: 5 });

    const at = new Date(Date.now() + 2 * DAY);
    const runs = await Promise.all([releaseDueAllocations(newClient(2), at), releaseDueAllocations(newClient(2), at)]);
    expect(runs.sort()).toEqual([0, 1]);
    expect(await releaseDueAllocations(db, at)).toBe(0);
    expect(await counters(e)).toEqual({ confirmed: 1, held: 0, reserved: 2 });
    expect(await db.seatAllocation.findUniqueOrThrow({ where: { id: soon.id } })).toMatchObject({
      releasedAt: at,
      used: 1,
    });
    expect(await db.seatAllocation.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ releasedAt: null });

    // After the release the block's code sells general seats; a released block's ticket cancelled frees a general seat.
    const after = await placeWithCode(db, e, code);
    if (!after.ok) throw new Error(after.reason);
    expect(await db.ticket.findFirst({ where: { orderId: after.order.id } })).toMatchObject({ allocationId: null });
    expect(await publicLeft(e)).toBe(6);
    expect((await listAllocations(db, e.id)).map((row) => [row.name, row.seats, row.used, row.left])).toEqual([
      ["Acme", 4, 1, 0],
      ["Acme", 2, 0, 2],
    ]);
  });

  it("an organiser releases a block early (audited); a second release finds nothing", async () => {
    const e = await edition(10);
    const acme = await block(e, 4);
    expect(await releaseAllocation(db, actor, e.id, acme.id, new Date())).toEqual({ ok: true, returned: 4 });
    expect(await releaseAllocation(db, actor, e.id, acme.id, new Date())).toEqual({ ok: false, reason: "not_found" });
    expect(await counters(e)).toMatchObject({ reserved: 0 });
    expect(await db.auditEntry.count({ where: { subjectId: acme.id, action: "allocation.released" } })).toBe(1);
  });
});

describe("the organiser's blocks", () => {
  it("refuses a block general sale has no room for, telling how many seats are left; nothing reserved", async () => {
    const e = await edition(10);
    expect(await buy(e, 7)).toMatchObject({ ok: true });
    const refused = await createAllocation(db, actor, e.id, blockForm(4), new Date());
    expect(refused).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { seats: ["not_enough_seats"] },
      seatsLeft: 3,
    });
    expect(await db.seatAllocation.count({ where: { editionId: e.id } })).toBe(0);
    expect(await counters(e)).toMatchObject({ reserved: 0 });
    await block(e, 3);
    expect(await publicLeft(e)).toBe(0);
  });

  it("checks the form: a past release date, no seats, an unknown type; resizing never below what is used", async () => {
    const e = await edition(10);
    const other = await edition(10);
    const now = new Date();
    const expectErrors = async (form: Record<string, string>, fieldErrors: object) =>
      expect(await createAllocation(db, actor, e.id, form, now)).toMatchObject({ ok: false, fieldErrors });
    await expectErrors(blockForm(2, { days: -1 }), { releaseAt: ["release_in_past"] });
    await expectErrors({ ...blockForm(2), seats: "0" }, { seats: [expect.any(String)] });
    await expectErrors({ ...blockForm(2), name: "" }, { name: [expect.any(String)] });
    await expectErrors({ ...blockForm(2), releaseAt: "soon" }, { releaseAt: ["invalid_date"] });
    await expectErrors(blockForm(2, { ticketTypeId: typeOf(other, "standard").id }), {
      ticketTypeId: ["unknown_ticket_type"],
    });

    const acme = await block(e, 4);
    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id });
    expect(await placeWithCode(db, e, code, { count: 2 })).toMatchObject({ ok: true });
    expect(await updateAllocation(db, actor, e.id, acme.id, blockForm(1), now)).toMatchObject({
      fieldErrors: { seats: ["seats_below_used"] },
    });
    expect(await updateAllocation(db, actor, e.id, acme.id, blockForm(6), now)).toMatchObject({ ok: true });
    expect(await counters(e)).toEqual({ confirmed: 0, held: 2, reserved: 4 });
    expect(await updateAllocation(db, actor, e.id, acme.id, blockForm(2), now)).toMatchObject({ ok: true });
    expect(await counters(e)).toEqual({ confirmed: 0, held: 2, reserved: 0 });
    expect(await updateAllocation(db, actor, e.id, acme.id, blockForm(11), now)).toMatchObject({
      seatsLeft: 8,
      fieldErrors: { seats: ["not_enough_seats"] },
    });
    const audit = await db.auditEntry.findMany({ where: { subjectId: acme.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual([
      "allocation.created",
      "allocation.updated",
      "allocation.updated",
    ]);
  });

  it("Recount rewrites the blocks' uses and the reserved seats", async () => {
    const e = await edition(10);
    const acme = await block(e, 4);
    const code = await createTestVoucher(db, e, { maxUses: 10, allocationId: acme.id });
    expect(await placeWithCode(db, e, code)).toMatchObject({ ok: true });
    await db.$executeRaw`UPDATE "SeatAllocation" SET used = 0 WHERE id = ${acme.id}::uuid`;
    await db.$executeRaw`UPDATE "EditionSeats" SET reserved = 1 WHERE "editionId" = ${e.id}::uuid`;
    expect(driftSize(await seatCounterDrift(db, e.id))).toBe(2);
    expect(await recountEditionSeats(db, actor, e.id)).toMatchObject({ ok: true, off: 3 });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
    expect(await usedOf(acme.id)).toBe(1);
    expect(await counters(e)).toEqual({ confirmed: 0, held: 1, reserved: 3 });
  });
});
