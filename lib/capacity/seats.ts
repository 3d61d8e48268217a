import { Prisma } from "@/lib/generated/prisma/client";

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

/** Seats confirmed, held by running holds, and kept for unreleased blocks (SeatAllocation) not yet used. */
export type SeatCount = { confirmed: number; held: number; reserved: number };
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

/**
 * Whether a ticket `t` of order `o` occupies a seat, in SQL, for the counts that stay per order, per
 * email or per list. The edition predicate on `o` lets its (editionId, status, holdExpiresAt) index
 * serve the join: without it, Postgres scanned every edition's orders.
 */
export const liveSeat = (now?: Date) => Prisma.sql`t.status = ${literal(SEAT.ticket)} AND o."editionId" = t."editionId"
  AND (o.status = ${literal(SEAT.confirmed)}
       OR (o.status = ${literal(SEAT.held)} AND ${holdRunningSql(now, "o")}))`;

/** Whether a ticket `t` of order `o` has its seat for good (a confirmed order), in SQL. */
export const confirmedSeat = Prisma.sql`t.status = ${literal(SEAT.ticket)} AND o."editionId" = t."editionId"
  AND o.status = ${literal(SEAT.confirmed)}`;

/** Whether a ticket `t` of order `o` has a seat held for payment, by a hold still running at `now`, in SQL. */
export const heldSeat = (now?: Date) => Prisma.sql`t.status = ${literal(SEAT.ticket)} AND o."editionId" = t."editionId"
  AND o.status = ${literal(SEAT.held)} AND ${holdRunningSql(now, "o")}`;

/** Tickets whose confirmed order owns their seat, as a Prisma filter. */
export const confirmedSeatWhere = {
  status: SEAT.ticket,
  order: { status: SEAT.confirmed },
} satisfies Prisma.TicketWhereInput;

/** Whether a hold ending at `holdExpiresAt` still runs at `now`, for an order already read. */
export const holdRunning = (holdExpiresAt: Date | null, now: Date) => holdExpiresAt !== null && holdExpiresAt > now;

type Counters = {
  capacity: number;
  confirmed: number;
  held: number;
  reserved: number;
  types: { id: string; quota: number | null; confirmed: number; held: number; reserved: number }[];
  lapsed: { id: string; n: number }[];
};

/**
 * An edition's counter rows (kept exact by triggers, see prisma/migrations/20261129100000_seat_counters)
 * and the seats of its lapsed holds not yet released, which count in the rows until a sweep or a claim
 * releases them but occupy nothing: one primary-key read and one probe of the lapsed holds. While entries
 * wait on the edition's list (not paused), those seats are the list's once released (docs/waiting-list.md,
 * "Public count"): they stay counted as taken, one more probe of the waiting entries.
 */
async function readCounters(
  db: Queryable,
  editionId: string,
  { now, releasable = false }: { now?: Date; releasable?: boolean } = {},
): Promise<Counters | undefined> {
  // What a claim can release: lapsed holds nobody else has locked (a payment being confirmed keeps its own).
  const lock = releasable ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const [row] = await db.$queryRaw<Counters[]>`
    SELECT s.capacity, s.confirmed, s.held, s.reserved,
      (SELECT coalesce(json_agg(json_build_object('id', x."ticketTypeId", 'quota', x.quota, 'confirmed', x.confirmed,
                                                  'held', x.held, 'reserved', x.reserved)), '[]')
         FROM "TicketTypeSeats" x WHERE x."editionId" = s."editionId") AS types,
      (SELECT coalesce(json_agg(json_build_object('id', l."ticketTypeId", 'n', l.n)), '[]') FROM (
         SELECT t."ticketTypeId", count(*) AS n
           FROM (SELECT id FROM "Order"
                  WHERE "editionId" = s."editionId" AND status = 'PENDING' AND NOT ${holdRunningSql(now)}
                    AND NOT EXISTS (SELECT 1 FROM "WaitingListEntry" w JOIN "Edition" e ON e.id = w."editionId"
                                     WHERE w."editionId" = s."editionId" AND w.status = 'WAITING'
                                       AND NOT e."waitingListPaused") ${lock}) o
           JOIN "Ticket" t ON t."orderId" = o.id AND t."editionId" = s."editionId" AND t.status = 'ACTIVE'
          GROUP BY 1) l) AS lapsed
    FROM "EditionSeats" s WHERE s."editionId" = ${editionId}::uuid`;
  return row;
}

function usageOf(counters: Counters | undefined): SeatUsage {
  const byTicketType = new Map<string, SeatCount>();
  if (!counters) return { confirmed: 0, held: 0, reserved: 0, byTicketType };
  const lapsed = new Map(counters.lapsed.map((type) => [type.id, type.n]));
  let lapsedSeats = 0;
  for (const type of counters.types) {
    const n = lapsed.get(type.id) ?? 0;
    lapsedSeats += n;
    byTicketType.set(type.id, { confirmed: type.confirmed, held: type.held - n, reserved: type.reserved });
  }
  return {
    confirmed: counters.confirmed,
    held: counters.held - lapsedSeats,
    reserved: counters.reserved,
    byTicketType,
  };
}

/**
 * Seats an edition's tickets occupy: confirmed orders, plus pending orders whose hold has not
 * expired. An expired hold stops counting the moment it expires, with no job having to run.
 * Every page, API and export that shows seats reads this one query; it costs the same whatever
 * the number of seats sold.
 */
export async function getSeatUsage(db: Queryable, editionId: string, now?: Date): Promise<SeatUsage> {
  return usageOf(await readCounters(db, editionId, { now }));
}

/** Seats general sale cannot sell: confirmed, held, and kept for blocks (never shown to the public as free). */
export function seatsTaken(count: SeatCount | undefined): number {
  return count ? count.confirmed + count.held + count.reserved : 0;
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

/** The SQLSTATE the seat triggers raise when an increment does not fit: the order gets no seat at all. */
export const SOLD_OUT_STATE = "GS001";

/** The SQLSTATE the voucher triggers raise when a code has no use left for an order's tickets (docs/vouchers.md). */
export const VOUCHER_USED_UP_STATE = "GS006";

/**
 * Whether a database error is a claim refused for want of room: a seat (SOLD_OUT_STATE) or a use of a code the
 * order's tickets were priced with. Either way the triggers rolled the change back and nothing was taken: a late
 * payment is refunded in both cases.
 */
export function refusedForWantOfRoom(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === SOLD_OUT_STATE || state === VOUCHER_USED_UP_STATE;
}

/**
 * The SQLSTATE of a database error, whichever way it came: a pg DatabaseError (`code`); a Prisma model
 * query's DriverAdapterError (`cause.originalCode`); a Prisma raw query's P2010
 * (`meta.driverAdapterError.cause.originalCode`). A Prisma error's own `code` (P2002…) is not one.
 */
export function sqlStateOf(error: unknown): string | null {
  type Cause = { cause?: { originalCode?: unknown } };
  type Shapes = Cause & { code?: unknown; clientVersion?: unknown; meta?: { driverAdapterError?: Cause } };
  const e = error as Shapes | null;
  const state =
    e?.meta?.driverAdapterError?.cause?.originalCode ??
    e?.cause?.originalCode ??
    (e?.clientVersion === undefined ? e?.code : undefined);
  return typeof state === "string" && /^[0-9A-Z]{5}$/.test(state) ? state : null;
}

/**
 * Why an order's tickets did not fit, read after its transaction rolled back (the triggers refused it
 * with SOLD_OUT_STATE): seats left in the edition and in each ticket type it asked for, as the claim
 * saw them: a lapsed hold whose order someone has locked (its payment arriving) still takes its seat.
 */
export async function soldOutRefusal(
  db: Queryable,
  editionId: string,
  ticketTypeIds: string[],
): Promise<Extract<SeatRefusal, { reason: "sold_out" }>> {
  const counters = await readCounters(db, editionId, { releasable: true });
  const usage = usageOf(counters);
  const capacity = counters?.capacity ?? 0;
  const quota = new Map(counters?.types.map((type) => [type.id, type.quota]));
  const left = Math.max(0, capacity - seatsTaken(usage));
  const leftByTicketType = Object.fromEntries(
    [...new Set(ticketTypeIds)].map((id) => [id, seatsLeft({ capacity }, { id, quota: quota.get(id) ?? null }, usage)]),
  );
  return { reason: "sold_out", left, leftByTicketType };
}

/**
 * What the claim adds to the seat triggers, inside the transaction that has just inserted an order's
 * tickets: the edition is open (unless `evenIfClosed`), and no attendee's email holds another live
 * seat. The tickets' insert was the claim itself: the triggers took the edition's counter row and
 * added every seat within capacity and quotas, or refused them all (SOLD_OUT_STATE), so a group never
 * gets part of its seats. Any answer but ok means the caller must roll back. An unnamed ticket (no
 * email) never clashes, and the buyer's own address is not an attendee's: a buyer is never kept from
 * buying for others.
 *
 * The counter row, locked by the insert, serialises claims for one edition across every instance and
 * pool; under READ COMMITTED the clash probe, a new statement, sees every ticket committed before.
 */
export async function claimSeats(
  tx: Queryable,
  claim: { editionId: string; orderId: string; now?: Date; evenIfClosed?: boolean },
): Promise<SeatClaim> {
  const locked = await lockEdition(tx, claim.editionId);
  if (!locked[0] || (!locked[0].open && !claim.evenIfClosed)) return { ok: false, reason: "edition_closed" };
  const [row] = await tx.$queryRaw<{ clashes: number[] }[]>`
    SELECT coalesce(array_agg(a.position ORDER BY a.position), '{}') AS clashes
    FROM "Ticket" a
    WHERE a."orderId" = ${claim.orderId}::uuid AND a.status = 'ACTIVE' AND a.email IS NOT NULL
      AND EXISTS (SELECT 1 FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
                  WHERE t."editionId" = ${claim.editionId}::uuid AND t.email = a.email
                    AND t."orderId" <> ${claim.orderId}::uuid AND ${liveSeat(claim.now)})`;
  if (row.clashes.length > 0) return { ok: false, reason: "already_registered", positions: row.clashes };
  return { ok: true };
}

/**
 * The edition lock: its counter row, which every claim takes. Serialises every change to who holds an
 * edition's seats or how many there are (claims, transfers, address changes, capacity and quota
 * edits, ticket type deletions). Returns the edition's capacity and whether it is open, as locked, or
 * nothing for an unknown edition.
 */
export function lockEdition(tx: Queryable, editionId: string) {
  return tx.$queryRaw<{ capacity: number; open: boolean }[]>`
    SELECT capacity, open FROM "EditionSeats" WHERE "editionId" = ${editionId}::uuid FOR NO KEY UPDATE`;
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

/**
 * Releases up to `max` of an edition's lapsed holds (their orders become EXPIRED, their seats free),
 * oldest first, in one statement; orders someone else has locked are skipped. Returns those released.
 */
export function releaseLapsedHolds(db: Queryable, editionId: string, { now, max }: { now?: Date; max: number }) {
  return db.$queryRaw<{ orderId: string; paymentReference: string | null }[]>`
    SELECT "orderId", "paymentReference" FROM guichet_release_lapsed_holds(${editionId}::uuid, ${max}::integer,
                                                                          ${now ?? null}::timestamptz)`;
}
