import type pg from "pg";
import { describe, expect, it } from "vitest";
import { hotPool } from "@/lib/db/prisma";
import { createEditionCache } from "@/lib/editions/edition-cache";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "./register";

const { db } = await useTestDatabase(10);
const HOLD = { holdMinutes: 35 };

/** Counts the statements sent on the client's pool (Prisma's own and the hot path's) while `run` runs. */
async function statementsOf<T>(run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const pool = hotPool(db);
  let statements = 0;
  const counted = new WeakSet<pg.PoolClient>();
  const count = (client: pg.PoolClient) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      statements += 1;
      return query(...args);
    }) as typeof client.query;
  };
  pool.on("acquire", count);
  try {
    return { result: await run(), statements };
  } finally {
    pool.off("acquire", count);
  }
}

describe("registration in one round trip", () => {
  it("grants a seat with two statements: the counters' read, then the placement and its commit", async () => {
    const edition = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "paid", priceCents: 1500 }] });
    const editions = createEditionCache({ seconds: 5 });
    await editions.edition(db, edition.slug);

    const { result, statements } = await statementsOf(() =>
      registerAttendee(db, edition.slug, attendeeRequest("paid", 1), { ...HOLD, editions }),
    );
    expect(result.ok).toBe(true);
    expect(statements).toBe(2);
    const order = await db.order.findFirstOrThrow({
      where: { editionId: edition.id },
      include: { tickets: true, transitions: true },
    });
    expect(order).toMatchObject({ status: "PENDING", amountCents: 1500, buyerEmail: "ada.1@example.org" });
    expect(order.tickets).toMatchObject([{ position: 1, priceCents: 1500, email: "ada.1@example.org" }]);
    expect(order.transitions).toMatchObject([{ fromStatus: null, toStatus: "PENDING" }]);
  });

  it("queues a free order's confirmation and its job in the same call", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const placed = await registerAttendee(db, edition.slug, attendeeRequest("free", 1), HOLD);
    if (!placed.ok) throw new Error(placed.reason);
    const [email] = await db.emailOutbox.findMany({ where: { orderId: placed.order.id } });
    expect(email).toMatchObject({ kind: "order_confirmation", toAddress: "ada.1@example.org" });
    const jobs = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job WHERE singleton_key = ${email.id}`;
    expect(Number(jobs[0].n)).toBe(1);
  });
});

describe("the Idempotency-Key", () => {
  it("answers a retry with the order its first attempt placed, even once the edition is full", async () => {
    const edition = await createEdition(db, { capacity: 1 });
    const first = await registerAttendee(db, edition.slug, attendeeRequest("free", 1), {
      ...HOLD,
      idempotencyKey: "retry-key-1",
    });
    const retry = await registerAttendee(db, edition.slug, attendeeRequest("free", 1), {
      ...HOLD,
      idempotencyKey: "retry-key-1",
    });
    expect(first.ok && !first.replayed).toBe(true);
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(1);
  });

  it("places one order when attempts with one key race, and keeps nothing of a refused attempt", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () =>
        registerAttendee(db, edition.slug, attendeeRequest("free", 2), { ...HOLD, idempotencyKey: "racing-key" }),
      ),
    );
    const ids = new Set(attempts.map((attempt) => (attempt.ok ? attempt.order.id : attempt.reason)));
    expect(ids.size).toBe(1);
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(1);

    // Already registered under another key: refused, and its key stays free for a corrected retry.
    const refused = await registerAttendee(db, edition.slug, attendeeRequest("free", 2), {
      ...HOLD,
      idempotencyKey: "second-key",
    });
    expect(refused).toMatchObject({ ok: false, reason: "already_registered", positions: [1] });
    const corrected = await registerAttendee(db, edition.slug, attendeeRequest("free", 3), {
      ...HOLD,
      idempotencyKey: "second-key",
    });
    expect(corrected.ok && !corrected.replayed).toBe(true);
  });
});
