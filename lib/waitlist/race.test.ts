import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { holdRowLock, waitForLockWaiters } from "@/devtools/testing/row-locks";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { testPerson } from "@/devtools/testing/vouchers";
import { addTestEntry, entryState } from "@/devtools/testing/waitlist";
import type { Db } from "@/lib/db/prisma";
import { cancelAttendee } from "@/lib/attendees/manage";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { lockEdition } from "@/lib/capacity/seats";
import { placeOrder } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { refundOrder } from "@/lib/payments/refunds";

const { db, newClient } = await useTestDatabase();
const { stripe, payOrder } = await useLocalStripe();
const actor = await createOrganiser(db);

type Edition = Awaited<ReturnType<typeof edition>>;

const edition = (capacity: number) =>
  createEdition(db, {
    capacity,
    ticketTypes: [
      { code: "free", priceCents: 0 },
      { code: "paid", priceCents: 4900 },
    ],
  });

/** One ticket placed as the public registration places it: confirmed at once when free, held when paid. */
const register = (client: Db, e: Edition, code = "free") => {
  const type = e.ticketTypes.find((candidate) => candidate.code === code)!;
  return placeOrder(client, {
    edition: e,
    buyer: testPerson("buyer"),
    tickets: [{ ticketType: type, attendee: testPerson(code), answers: {}, priceCents: type.priceCents }],
    locale: "en",
    holdExpiresAt: type.priceCents === 0 ? null : new Date(Date.now() + 35 * 60_000),
    checkOffer: true,
    now: new Date(),
  });
};

async function registered(e: Edition, code = "free") {
  const placed = await register(db, e, code);
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return placed.order;
}

const cancel = async (client: Db, e: Edition, orderId: string) => {
  const ticket = await client.ticket.findFirstOrThrow({ where: { orderId } });
  return cancelAttendee(client, stripe, actor, e.id, ticket.id, { refund: false });
};

describe("a freed seat racing a public registration", () => {
  // A hold has lapsed: the public count shows its seat as free, and the sweep and a claim both go for it. The gate
  // holds the edition's counter row while they queue behind it in the chosen order.
  async function lapsedHold() {
    const e = await edition(1);
    const held = await registered(e, "paid");
    const entry = await addTestEntry(db, e);
    await db.order.update({ where: { id: held.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    const gate = await holdRowLock(db, "EditionSeats", e.id, "NO KEY UPDATE");
    return { e, entry, gate };
  }

  it("the sweep first: its walk offers the seat before its commit, the claim finds none", async () => {
    const { e, entry, gate } = await lapsedHold();
    let sweep: Promise<number> | undefined;
    let claim: Awaited<ReturnType<typeof register>> | undefined;
    try {
      sweep = expireLapsedHolds(db, null);
      await waitForLockWaiters(db, 1);
      claim = await register(db, e, "paid");
    } finally {
      await gate.release();
    }
    expect(await sweep).toBe(1);
    expect(claim).toMatchObject({ ok: false, reason: "sold_out" });
    expect(await entryState(db, entry.id)).toMatchObject({ status: "OFFERED", offer: { status: "OFFERED", seats: 1 } });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });

  it("the claim first: it releases the hold, loses the seat to the list, rolls back; the sweep offers it", async () => {
    const { e, entry, gate } = await lapsedHold();
    let claim: ReturnType<typeof register> | undefined;
    try {
      claim = register(db, e, "paid");
      await waitForLockWaiters(db, 1);
      // The hold is the claim's to release now: the sweep skips it.
      expect(await expireLapsedHolds(db, null)).toBe(0);
    } finally {
      await gate.release();
    }
    expect(await claim).toMatchObject({ ok: false, reason: "sold_out" });
    expect(await entryState(db, entry.id)).toMatchObject({ status: "WAITING", offer: null });
    expect(await expireLapsedHolds(db, null)).toBe(1);
    expect(await entryState(db, entry.id)).toMatchObject({ status: "OFFERED", offer: { status: "OFFERED", seats: 1 } });
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
  });
});

describe("300 random operations from two pools", () => {
  it("never oversell, keep the counters exact and give an entry at most one open offer", async () => {
    const e = await edition(10);
    const paid: string[] = [];
    for (let i = 0; i < 6; i++) {
      const order = await registered(e, "paid");
      await payOrder(db, order.id);
      paid.push(order.id);
    }
    const confirmed: string[] = [];
    for (let i = 0; i < 4; i++) confirmed.push((await registered(e)).id);

    // A fixed seed: a failure replays the same operations.
    let seed = 18;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(list: T[]) => (list.length === 0 ? undefined : list.splice(random(list.length), 1)[0]);
    const closeOffer = async (client: Db, status: "LAPSED" | "DECLINED") => {
      const offers = await client.waitingListOffer.findMany({ where: { editionId: e.id, status: "OFFERED" } });
      const offer = pick(offers);
      if (!offer) return;
      await client.$transaction(async (tx) => {
        await lockEdition(tx, e.id);
        await tx.$queryRaw`SELECT guichet_waitlist_close_offer(${offer.id}::uuid, ${status}::"WaitingListOfferStatus")`;
      });
    };
    const operations: Record<string, (client: Db) => Promise<unknown>> = {
      join: (client) =>
        addTestEntry(client, e, {
          seats: 1 + random(3),
          acceptsFewer: random(2) === 0,
          types: random(3) === 0 ? ["paid"] : ["free", "paid"],
        }),
      cancel: async (client) => {
        const orderId = pick(confirmed);
        if (orderId) await cancel(client, e, orderId);
      },
      refund: async (client) => {
        const orderId = pick(paid);
        if (orderId) await refundOrder(client, stripe, orderId, { reason: "organiser_cancelled" });
      },
      register: async (client) => {
        const placed = await register(client, e);
        if (placed.ok) confirmed.push(placed.order.id);
        else expect(placed.reason).toBe("sold_out");
      },
      raise: (client) =>
        client.$transaction(async (tx) => {
          await lockEdition(tx, e.id);
          await tx.$executeRaw`UPDATE "Edition" SET capacity = capacity + 1 WHERE id = ${e.id}::uuid`;
        }),
      lapse: (client) => closeOffer(client, "LAPSED"),
      decline: (client) => closeOffer(client, "DECLINED"),
    };
    const names = Object.keys(operations);
    const pools = [newClient(4), newClient(4)];
    await Promise.all(
      pools.map(async (client) => {
        for (let i = 0; i < 150; i++) await operations[names[random(names.length)]](client);
      }),
    );

    const [seats] = await db.$queryRaw<{ over: boolean }[]>`
      SELECT confirmed + held + reserved > capacity AS over FROM "EditionSeats" WHERE "editionId" = ${e.id}::uuid`;
    expect(seats.over).toBe(false);
    expect(await seatCounterDrift(db, e.id)).toEqual([]);
    const open = await db.waitingListOffer.groupBy({
      by: ["entryId"],
      where: { editionId: e.id, status: { in: ["GATHERING", "OFFERED"] } },
      _count: true,
    });
    expect(open.filter((row) => row._count > 1)).toEqual([]);
    // Every open offer's block holds exactly its seats, and every offer went out in one email.
    const blocks = await db.waitingListOffer.findMany({
      where: { editionId: e.id, status: { in: ["GATHERING", "OFFERED"] } },
      include: { allocation: true },
    });
    expect(blocks.filter((offer) => offer.allocation.seats !== offer.seats || offer.allocation.releasedAt)).toEqual([]);
    const offered = await db.waitingListOffer.count({ where: { editionId: e.id, offeredAt: { not: null } } });
    expect(
      await db.emailOutbox.count({ where: { kind: "waitlist_offer", dedupeKey: { startsWith: "waitlist_offer:" } } }),
    ).toBeGreaterThanOrEqual(offered);
    expect(offered).toBeGreaterThan(10);
    // Every kind of operation happened, not only the cheap ones.
    const orders = await db.order.groupBy({ by: ["status"], where: { editionId: e.id }, _count: true });
    const closed = await db.waitingListOffer.groupBy({ by: ["status"], where: { editionId: e.id }, _count: true });
    expect(orders.map((row) => row.status)).toEqual(expect.arrayContaining(["CANCELLED", "REFUNDED", "CONFIRMED"]));
    expect(closed.map((row) => row.status)).toEqual(expect.arrayContaining(["LAPSED", "DECLINED"]));
  });
});
