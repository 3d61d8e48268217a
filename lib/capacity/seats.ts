import type { Prisma } from "@/lib/generated/prisma/client";

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

export type SeatCount = { confirmed: number; held: number };
export type SeatUsage = SeatCount & { byTicketType: Map<string, SeatCount> };

/**
 * Seats an edition's tickets occupy at `now`: confirmed orders, plus pending orders whose hold has
 * not expired. An expired hold stops counting the moment it expires, with no job having to run.
 * Every page, API and export that shows seats reads this one query.
 */
export async function getSeatUsage(db: Queryable, editionId: string, now: Date): Promise<SeatUsage> {
  const rows = await db.$queryRaw<{ ticketTypeId: string; confirmed: bigint; held: bigint }[]>`
    SELECT t."ticketTypeId",
           count(*) FILTER (WHERE o.status = 'CONFIRMED') AS confirmed,
           count(*) FILTER (WHERE o.status = 'PENDING') AS held
    FROM "Ticket" t
    JOIN "Order" o ON o.id = t."orderId"
    WHERE t."editionId" = ${editionId}::uuid
      AND t.status = 'ACTIVE'
      AND (o.status = 'CONFIRMED' OR (o.status = 'PENDING' AND o."holdExpiresAt" > ${now}))
    GROUP BY t."ticketTypeId"`;
  const byTicketType = new Map<string, SeatCount>();
  let confirmed = 0;
  let held = 0;
  for (const row of rows) {
    const count = { confirmed: Number(row.confirmed), held: Number(row.held) };
    byTicketType.set(row.ticketTypeId, count);
    confirmed += count.confirmed;
    held += count.held;
  }
  return { confirmed, held, byTicketType };
}

export function seatsTaken(count: SeatCount | undefined): number {
  return count ? count.confirmed + count.held : 0;
}

/** Seats still available for one ticket type: the edition's room left, capped by the type's own quota. */
export function seatsLeft(
  edition: { capacity: number },
  ticketType: { id: string; quota: number | null },
  usage: SeatUsage,
): number {
  const editionLeft = edition.capacity - seatsTaken(usage);
  const typeLeft = ticketType.quota === null ? Infinity : ticketType.quota - seatsTaken(usage.byTicketType.get(ticketType.id));
  return Math.max(0, Math.min(editionLeft, typeLeft));
}

/**
 * Serialises seat-taking for one edition until the transaction ends. Callers count and insert
 * after this, inside the same transaction: under READ COMMITTED each later statement sees every
 * seat committed before the lock was granted, so two instances or pools can never oversell.
 * NO KEY UPDATE leaves foreign-key checks from other writers (orders, tickets) unblocked.
 * Returns null when the edition does not exist.
 */
export async function lockEditionSeats(tx: Queryable, editionId: string): Promise<{ capacity: number; status: string } | null> {
  const rows = await tx.$queryRaw<{ capacity: number; status: string }[]>`
    SELECT capacity, status::text AS status FROM "Edition" WHERE id = ${editionId}::uuid FOR NO KEY UPDATE`;
  return rows[0] ?? null;
}
