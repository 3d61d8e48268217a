import { Prisma } from "@/lib/generated/prisma/client";

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

/** One counter row as it is, or as the exact count says it should be (null: the row is missing). */
export type CounterRow = { confirmed: number; held: number; reserved: number; limit: number | null; open: boolean };

/** A counter row (an edition's, or one of its ticket types' when `ticketTypeId` is set) out of step. */
export type SeatCounterDrift = {
  editionId: string;
  ticketTypeId: string | null;
  counters: CounterRow | null;
  exact: CounterRow;
};

/**
 * The counter rows that disagree with a full count of the tickets (status-based, as the triggers
 * keep them) and of the blocks' unused seats, or with the capacity, openness and quotas they copy:
 * empty when every counter is in step. Counts every ticket of the edition (of every edition without
 * `editionId`): the consistency check, never a hot path.
 */
export async function seatCounterDrift(db: Queryable, editionId?: string): Promise<SeatCounterDrift[]> {
  const only = editionId ?? null;
  const rows = await db.$queryRaw<(SeatCounterDrift & { counters: CounterRow | Record<string, null> })[]>`
    WITH exact AS (
      SELECT t."editionId", t."ticketTypeId",
             (count(*) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS confirmed,
             (count(*) FILTER (WHERE o.status = 'PENDING'))::integer AS held
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" AND o."editionId" = t."editionId"
      WHERE t.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING')
        AND (${only}::uuid IS NULL OR t."editionId" = ${only}::uuid)
      GROUP BY 1, 2
    ), kept AS (
      -- What unreleased blocks keep out of general sale, from the tickets that use their seats.
      SELECT a."editionId", a."ticketTypeId",
             greatest(a.seats - (SELECT count(*) FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
                                  WHERE t."allocationId" = a.id AND t.status = 'ACTIVE'
                                    AND o.status IN ('CONFIRMED', 'PENDING')), 0)::integer AS n
      FROM "SeatAllocation" a
      WHERE a."releasedAt" IS NULL AND (${only}::uuid IS NULL OR a."editionId" = ${only}::uuid)
    ), rows AS (
      SELECT e.id AS "editionId", NULL::uuid AS "ticketTypeId",
             s."editionId" IS NOT NULL AS present, s.confirmed AS c_confirmed, s.held AS c_held,
             s.reserved AS c_reserved, s.capacity AS c_limit, s.open AS c_open,
             coalesce(x.confirmed, 0) AS e_confirmed, coalesce(x.held, 0) AS e_held,
             (SELECT coalesce(sum(k.n), 0) FROM kept k WHERE k."editionId" = e.id)::integer AS e_reserved,
             e.capacity AS e_limit, e.status = 'OPEN' AS e_open
      FROM "Edition" e
      LEFT JOIN "EditionSeats" s ON s."editionId" = e.id
      LEFT JOIN (SELECT "editionId", sum(confirmed)::integer AS confirmed, sum(held)::integer AS held
                 FROM exact GROUP BY 1) x ON x."editionId" = e.id
      WHERE ${only}::uuid IS NULL OR e.id = ${only}::uuid
      UNION ALL
      SELECT tt."editionId", tt.id, s."ticketTypeId" IS NOT NULL, s.confirmed, s.held, s.reserved, s.quota, true,
             coalesce(x.confirmed, 0), coalesce(x.held, 0),
             (SELECT coalesce(sum(k.n), 0) FROM kept k WHERE k."ticketTypeId" = tt.id)::integer, tt.quota, true
      FROM "TicketType" tt
      LEFT JOIN "TicketTypeSeats" s ON s."ticketTypeId" = tt.id
      LEFT JOIN exact x ON x."ticketTypeId" = tt.id
      WHERE ${only}::uuid IS NULL OR tt."editionId" = ${only}::uuid
    )
    SELECT "editionId", "ticketTypeId",
           CASE WHEN present THEN json_build_object('confirmed', c_confirmed, 'held', c_held, 'reserved', c_reserved,
                                                    'limit', c_limit, 'open', c_open) END AS counters,
           json_build_object('confirmed', e_confirmed, 'held', e_held, 'reserved', e_reserved, 'limit', e_limit,
                             'open', e_open) AS exact
    FROM rows
    WHERE NOT present OR c_confirmed <> e_confirmed OR c_held <> e_held OR c_reserved <> e_reserved
       OR c_limit IS DISTINCT FROM e_limit OR c_open <> e_open
    ORDER BY "editionId", "ticketTypeId" NULLS FIRST`;
  return rows as SeatCounterDrift[];
}

/**
 * How far off the counters are, in seats (a missing row or a wrong copy of a capacity, quota or
 * openness counts as one): what the dashboard shows, 0 when in step. The edition's row and its
 * types' rows each count.
 */
export function driftSize(drift: SeatCounterDrift[]): number {
  return drift.reduce((sum, row) => {
    const counted = row.counters ?? { confirmed: 0, held: 0, reserved: 0, limit: null, open: row.exact.open };
    const seats =
      Math.abs(counted.confirmed - row.exact.confirmed) +
      Math.abs(counted.held - row.exact.held) +
      Math.abs(counted.reserved - row.exact.reserved);
    const copies = !row.counters || counted.limit !== row.exact.limit || counted.open !== row.exact.open ? 1 : 0;
    return sum + seats + copies;
  }, 0);
}

/**
 * Rewrites an edition's counter rows, and its codes' uses (Voucher.used), from the exact count, under the
 * edition lock, in the caller's transaction; returns by how many seats and uses they were off.
 */
export async function recountSeats(tx: Queryable, editionId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ off: number }[]>`SELECT guichet_recount_seats(${editionId}::uuid) AS off`;
  return row.off;
}
