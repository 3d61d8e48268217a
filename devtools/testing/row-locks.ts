import type { Db } from "@/lib/db/prisma";

/**
 * Holds a row lock in a transaction of its own until released, so a test can queue real requests
 * behind it in a chosen order and then let them run: the interleavings a rush produces by chance.
 */
export async function holdRowLock(
  db: Db,
  table: "Order" | "Edition" | "EditionSeats",
  id: string,
  mode: "UPDATE" | "NO KEY UPDATE" = "UPDATE",
) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  // An edition's counter row (its lock, lib/capacity/seats.ts) is keyed by its edition.
  const key = table === "EditionSeats" ? `"editionId"` : "id";
  const lockSql = `SELECT 1 FROM "${table}" WHERE ${key} = $1::uuid FOR ${mode}`;
  const holder = db.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe(lockSql, id);
      locked();
      await released;
    },
    { timeout: 60_000 },
  );
  await isLocked;
  return {
    release: async () => {
      release();
      await holder;
    },
  };
}

/** Waits until `count` sessions of this database are waiting for a lock. */
export async function waitForLockWaiters(db: Db, count: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [row] = await db.$queryRaw<{ waiting: bigint }[]>`
      SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (Number(row.waiting) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`fewer than ${count} sessions ever waited for a lock`);
}

/** Waits until the database's clock has passed an order's hold. */
export async function waitForHoldToLapse(db: Db, orderId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [row] = await db.$queryRaw<{ lapsed: boolean }[]>`
      SELECT "holdExpiresAt" <= clock_timestamp() AS lapsed FROM "Order" WHERE id = ${orderId}::uuid`;
    if (row.lapsed) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the hold of ${orderId} never lapsed`);
}
