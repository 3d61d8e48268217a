import { Prisma } from "@/lib/generated/prisma/client";

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

export type SeatCount = { confirmed: number; held: number };
export type SeatUsage = SeatCount & { byTicketType: Map<string, SeatCount> };

/**
 * Whether a hold still runs is decided by the database's clock, which every instance shares (an
 * instance whose clock ran ahead would free held seats early); `now` pins it, for tests and
 * previews of another moment.
 */
export const holdClock = (now?: Date) => Prisma.sql`coalesce(${now ?? null}::timestamptz, clock_timestamp())`;

/**
 * The live-seat rule, the one definition of who occupies a seat: an active ticket of a confirmed
 * order, or of a pending order whose hold still runs. The SQL fragment and the Prisma filters
 * below are both built from it.
 */
const SEAT = { ticket: "ACTIVE", confirmed: "CONFIRMED", held: "PENDING" } as const;

const literal = (value: string) => Prisma.raw(`'${value}'`);

/** Whether an order's hold (of the row aliased `table`, if any) still runs, on the database's clock. */
export const holdRunningSql = (now?: Date, table?: "o") =>
  Prisma.sql`${Prisma.raw(table ? `${table}."holdExpiresAt"` : `"holdExpiresAt"`)} > ${holdClock(now)}`;

/** Whether a ticket `t` of order `o` occupies a seat, in SQL: what every count below uses. */
export const liveSeat = (now?: Date) => Prisma.sql`t.status = ${literal(SEAT.ticket)}
  AND (o.status = ${literal(SEAT.confirmed)}
       OR (o.status = ${literal(SEAT.held)} AND ${holdRunningSql(now, "o")}))`;

/** Whether a ticket `t` of order `o` has its seat for good (a confirmed order), in SQL. */
export const confirmedSeat = Prisma.sql`t.status = ${literal(SEAT.ticket)} AND o.status = ${literal(SEAT.confirmed)}`;

/** Tickets whose confirmed order owns their seat, as a Prisma filter. */
export const confirmedSeatWhere = {
  status: SEAT.ticket,
  order: { status: SEAT.confirmed },
} satisfies Prisma.TicketWhereInput;

/** Tickets whose pending order's hold still runs at `now`, as a Prisma filter (Prisma cannot read the DB clock). */
export const heldSeatWhere = (now: Date) =>
  ({ status: SEAT.ticket, order: { status: SEAT.held, holdExpiresAt: { gt: now } } }) satisfies Prisma.TicketWhereInput;

/** Whether a hold ending at `holdExpiresAt` still runs at `now`, for an order already read. */
export const holdRunning = (holdExpiresAt: Date | null, now: Date) => holdExpiresAt !== null && holdExpiresAt > now;

/**
 * Seats an edition's tickets occupy: confirmed orders, plus pending orders whose hold has not
 * expired. An expired hold stops counting the moment it expires, with no job having to run.
 * Every page, API and export that shows seats reads this one query.
 */
export async function getSeatUsage(db: Queryable, editionId: string, now?: Date): Promise<SeatUsage> {
  const rows = await db.$queryRaw<{ ticketTypeId: string; confirmed: bigint; held: bigint }[]>`
    SELECT t."ticketTypeId",
           count(*) FILTER (WHERE o.status = 'CONFIRMED') AS confirmed,
           count(*) FILTER (WHERE o.status = 'PENDING') AS held
    FROM "Ticket" t
    JOIN "Order" o ON o.id = t."orderId"
    WHERE t."editionId" = ${editionId}::uuid AND ${liveSeat(now)}
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
  const typeLeft =
    ticketType.quota === null ? Infinity : ticketType.quota - seatsTaken(usage.byTicketType.get(ticketType.id));
  return Math.max(0, Math.min(editionLeft, typeLeft));
}

/** Why an order's seats cannot all be taken. Nothing is ever granted in part. */
export type SeatRefusal =
  | { reason: "edition_closed" }
  /** The order's tickets, by position, whose attendee email already holds a live seat elsewhere. */
  | { reason: "already_registered"; positions: number[] }
  /** How many seats this order could still get: overall, and of each ticket type it asks for. */
  | { reason: "sold_out"; left: number; leftByTicketType: Record<string, number> };

export type SeatClaim = { ok: true } | ({ ok: false } & SeatRefusal);

/**
 * Checks, inside the transaction that has just inserted an order's tickets, that the edition and
 * each ticket type are still within capacity counting all of them, and that no attendee's email
 * holds another live seat. All or nothing: any answer but ok means the caller must roll back, so a
 * group never gets part of its seats. An unnamed ticket (no email) never clashes, and the buyer's
 * own address is not an attendee's: a buyer is never kept from buying for others.
 *
 * The edition row lock serialises claims for one edition across every instance and pool. Under
 * READ COMMITTED the count, a new statement after the lock is granted, sees every ticket committed
 * before: nothing can be oversold. Inserting first and claiming last keeps the lock for two round
 * trips (count, commit) rather than for the whole registration, whatever the group's size. NO KEY
 * UPDATE does not conflict with the KEY SHARE locks that foreign-key checks of concurrent inserts
 * take, so it cannot deadlock them.
 */
export async function claimSeats(
  tx: Queryable,
  claim: { editionId: string; orderId: string; now?: Date; evenIfClosed?: boolean },
): Promise<SeatClaim> {
  const locked = await lockEdition(tx, claim.editionId);
  if (!locked[0] || (locked[0].status !== "OPEN" && !claim.evenIfClosed))
    return { ok: false, reason: "edition_closed" };
  const [count] = await tx.$queryRaw<
    {
      editionTaken: bigint;
      orderSeats: bigint;
      types: { id: string; quota: number | null; taken: number; mine: number }[];
      clashes: number[];
    }[]
  >`
    WITH live AS MATERIALIZED (
      SELECT t."ticketTypeId", t.email, t."orderId" = ${claim.orderId}::uuid AS mine
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
      WHERE t."editionId" = ${claim.editionId}::uuid AND ${liveSeat(claim.now)}
    ), asked AS (
      SELECT id, position, "ticketTypeId", email FROM "Ticket"
      WHERE "orderId" = ${claim.orderId}::uuid AND status = 'ACTIVE'
    )
    SELECT (SELECT count(*) FROM live) AS "editionTaken",
           (SELECT count(*) FROM live WHERE mine) AS "orderSeats",
           (SELECT coalesce(json_agg(json_build_object(
                     'id', tt.id, 'quota', tt.quota,
                     'taken', (SELECT count(*) FROM live l WHERE l."ticketTypeId" = tt.id),
                     'mine', (SELECT count(*) FROM live l WHERE l."ticketTypeId" = tt.id AND l.mine))), '[]')
            FROM "TicketType" tt WHERE tt.id IN (SELECT "ticketTypeId" FROM asked)) AS types,
           (SELECT coalesce(array_agg(a.position ORDER BY a.position), '{}') FROM asked a
            WHERE a.email IS NOT NULL
              AND EXISTS (SELECT 1 FROM live l WHERE NOT l.mine AND l.email = a.email)) AS clashes`;
  if (count.clashes.length > 0) return { ok: false, reason: "already_registered", positions: count.clashes };
  const capacity = locked[0].capacity;
  const editionTaken = Number(count.editionTaken);
  const left = Math.max(0, capacity - (editionTaken - Number(count.orderSeats)));
  const leftByTicketType = Object.fromEntries(
    count.types.map((type) => [
      type.id,
      type.quota === null ? left : Math.max(0, Math.min(left, type.quota - (type.taken - type.mine))),
    ]),
  );
  const overQuota = count.types.some((type) => type.quota !== null && type.taken > type.quota);
  if (editionTaken > capacity || overQuota) return { ok: false, reason: "sold_out", left, leftByTicketType };
  return { ok: true };
}

/**
 * The edition lock: serialises every change to who holds an edition's seats or how many there are
 * (claims, transfers, address changes, capacity and quota edits, ticket type deletions). Returns
 * the edition's capacity and status as locked, or nothing for an unknown edition.
 */
export function lockEdition(tx: Queryable, editionId: string) {
  return tx.$queryRaw<{ capacity: number; status: string }[]>`
    SELECT capacity, status::text AS status FROM "Edition" WHERE id = ${editionId}::uuid FOR NO KEY UPDATE`;
}

/**
 * "One seat per email" for a ticket that changes hands or address: whether `email` already holds a
 * live seat of the edition on another ticket. It takes the edition lock claimSeats takes, so a
 * registration with the same address either commits before this count or waits for this change.
 */
export async function emailHoldsAnotherSeat(
  tx: Queryable,
  check: { editionId: string; ticketId: string; email: string; now?: Date },
): Promise<boolean> {
  await lockEdition(tx, check.editionId);
  const [row] = await tx.$queryRaw<{ taken: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
      WHERE t."editionId" = ${check.editionId}::uuid AND t.email = ${check.email} AND t.id <> ${check.ticketId}::uuid
        AND ${liveSeat(check.now)}
    ) AS taken`;
  return row.taken;
}
