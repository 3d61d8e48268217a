import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import type { Prisma, SeatAllocation } from "@/lib/generated/prisma/client";
import { recordAudit, changedFields, type AuditActor } from "@/lib/audit/record";
import {
  fieldErrorsOf,
  localDateTime,
  requiredLine,
  wholeNumber,
  zonedTimes,
  type FieldErrors,
} from "@/lib/forms/fields";
import { lockEdition, sqlStateOf, SOLD_OUT_STATE } from "@/lib/capacity/seats";

const MAX_SEATS = 100_000;

/**
 * The organiser's form for a block: its name (the sponsor, "Speakers"), how many seats, optionally the ticket type
 * whose quota it also comes out of (its tickets are then of that type), and when its unused seats return to general
 * sale, a wall-clock time in the edition's zone.
 */
export const allocationSchema = (edition: { timeZone: string }, now: Date) =>
  z
    .object({
      name: requiredLine(100),
      seats: wholeNumber({ min: 1, max: MAX_SEATS }),
      ticketTypeId: z.preprocess(
        (value) => (value === "" || value === undefined ? null : value),
        z.uuid({ error: "unknown_ticket_type" }).nullable(),
      ),
      releaseAt: localDateTime,
    })
    .transform(({ releaseAt, ...form }, context) => {
      const at = zonedTimes({ releaseAt }, edition.timeZone, context).releaseAt as Date;
      // Releasing now is its own action (releaseAllocation); a date gone by is a mistake.
      if (at && at <= now) context.addIssue({ code: "custom", path: ["releaseAt"], message: "release_in_past" });
      return { ...form, releaseAt: at };
    });

export type AllocationChange =
  | { ok: true; allocation: SeatAllocation }
  /** `seatsLeft`: what general sale has left, when the block did not fit. */
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors; seatsLeft?: number }
  | { ok: false; reason: "not_found" };

const invalid = (fieldErrors: FieldErrors): AllocationChange => ({ ok: false, reason: "invalid", fieldErrors });

const AUDITED_FIELDS = [
  "name",
  "seats",
  "ticketTypeId",
  "releaseAt",
] as const satisfies readonly (keyof SeatAllocation)[];
const snapshot = (block: SeatAllocation) => Object.fromEntries(AUDITED_FIELDS.map((field) => [field, block[field]]));

// Seats general sale has left for a new block, or for more seats in one: the counters with lapsed holds released (as
// the trigger releases them before refusing), under the edition lock the caller holds.
async function roomFor(tx: Prisma.TransactionClient, editionId: string, ticketTypeId: string | null) {
  const [row] = await tx.$queryRaw<{ edition: number; type: number | null }[]>`
    SELECT s.capacity - s.confirmed - s.held - s.reserved AS edition,
           (SELECT x.quota - x.confirmed - x.held - x.reserved FROM "TicketTypeSeats" x
             WHERE x."ticketTypeId" = ${ticketTypeId}::uuid) AS type
      FROM "EditionSeats" s WHERE s."editionId" = ${editionId}::uuid`;
  return Math.max(0, Math.min(row?.edition ?? 0, row?.type ?? Infinity));
}

// A block's seats come out of general sale in the trigger (SeatAllocation_reserved); a block that does not fit is
// refused there with SOLD_OUT_STATE after lapsed holds were released. The organiser is told how many seats are left.
async function withRoom(
  db: Db,
  editionId: string,
  ticketTypeId: string | null,
  write: (tx: Prisma.TransactionClient) => Promise<AllocationChange>,
): Promise<AllocationChange> {
  try {
    return await db.$transaction(async (tx) => {
      await lockEdition(tx, editionId);
      return write(tx);
    });
  } catch (error) {
    if (sqlStateOf(error) !== SOLD_OUT_STATE) throw error;
    const left = await db.$transaction(async (tx) => {
      await lockEdition(tx, editionId);
      await tx.$queryRaw`SELECT count(*) FROM guichet_release_lapsed_holds(${editionId}::uuid, 2147483647)`;
      return roomFor(tx, editionId, ticketTypeId);
    });
    return { ok: false, reason: "invalid", fieldErrors: { seats: ["not_enough_seats"] }, seatsLeft: left };
  }
}

async function typeOfEdition(tx: Prisma.TransactionClient, editionId: string, ticketTypeId: string | null) {
  if (ticketTypeId === null) return true;
  return (await tx.ticketType.count({ where: { id: ticketTypeId, editionId } })) === 1;
}

// The form read in the edition's zone: the block's fields, or why not.
async function parseBlockForm(db: Db, editionId: string, input: unknown, now: Date) {
  const edition = await db.edition.findUnique({ where: { id: editionId }, select: { timeZone: true } });
  if (!edition) return { ok: false, reason: "not_found" } as const;
  const parsed = allocationSchema(edition, now).safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error)) as Extract<AllocationChange, { ok: false }>;
  return { ok: true, form: parsed.data } as const;
}

/** Sets a block of seats aside (audited "allocation.created"), if general sale has that many left. */
export async function createAllocation(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
  now: Date,
): Promise<AllocationChange> {
  const parsed = await parseBlockForm(db, editionId, input, now);
  if (!parsed.ok) return parsed;
  const { form } = parsed;
  return withRoom(db, editionId, form.ticketTypeId, async (tx) => {
    if (!(await typeOfEdition(tx, editionId, form.ticketTypeId)))
      return invalid({ ticketTypeId: ["unknown_ticket_type"] });
    const allocation = await tx.seatAllocation.create({ data: { ...form, editionId } });
    await recordAudit(tx, actor, {
      editionId,
      action: "allocation.created",
      subjectType: "allocation",
      subjectId: allocation.id,
      after: snapshot(allocation),
    });
    return { ok: true, allocation };
  });
}

/**
 * Changes a block while it holds seats: never fewer seats than its tickets use, never released by a date in the past.
 * Audited "allocation.updated".
 */
export async function updateAllocation(
  db: Db,
  actor: AuditActor,
  editionId: string,
  allocationId: string,
  input: unknown,
  now: Date,
): Promise<AllocationChange> {
  const parsed = await parseBlockForm(db, editionId, input, now);
  if (!parsed.ok) return parsed;
  const { form } = parsed;
  return withRoom(db, editionId, form.ticketTypeId, async (tx) => {
    const before = await tx.seatAllocation.findFirst({ where: { id: allocationId, editionId, kind: "BLOCK" } });
    if (!before || before.releasedAt) return { ok: false, reason: "not_found" };
    if (form.seats < before.used) return invalid({ seats: ["seats_below_used"] });
    // Its tickets are of its type: a block some tickets use keeps the type they have.
    if (form.ticketTypeId !== before.ticketTypeId && before.used > 0) {
      return invalid({ ticketTypeId: ["block_type_in_use"] });
    }
    if (!(await typeOfEdition(tx, editionId, form.ticketTypeId)))
      return invalid({ ticketTypeId: ["unknown_ticket_type"] });
    const allocation = await tx.seatAllocation.update({ where: { id: allocationId }, data: form });
    const diff = changedFields(snapshot(before), snapshot(allocation));
    if (Object.keys(diff.after).length > 0) {
      await recordAudit(tx, actor, {
        editionId,
        action: "allocation.updated",
        subjectType: "allocation",
        subjectId: allocationId,
        before: { name: before.name, ...diff.before },
        after: { name: allocation.name, ...diff.after },
      });
    }
    return { ok: true, allocation };
  });
}

// Releases the given blocks of one edition still holding seats, under its lock: the trigger gives their unused seats
// back to general sale. A block already released is not matched again, so a second run changes nothing. A waiting-list
// offer's block is the list's own to release (docs/waiting-list.md).
async function releaseIn(tx: Prisma.TransactionClient, editionId: string, now: Date, only?: string) {
  await lockEdition(tx, editionId);
  return tx.$queryRaw<{ id: string; name: string; seats: number; used: number }[]>`
    UPDATE "SeatAllocation" SET "releasedAt" = ${now}, "updatedAt" = ${now}
     WHERE "editionId" = ${editionId}::uuid AND "releasedAt" IS NULL AND kind = 'BLOCK'
       AND (${only ?? null}::uuid IS NULL AND "releaseAt" <= ${now} OR id = ${only ?? null}::uuid)
    RETURNING id, name, seats, used`;
}

/** The organiser gives a block's unused seats back to general sale before its date. Audited "allocation.released". */
export async function releaseAllocation(
  db: Db,
  actor: AuditActor,
  editionId: string,
  allocationId: string,
  now: Date,
): Promise<{ ok: true; returned: number } | { ok: false; reason: "not_found" }> {
  return db.$transaction(async (tx) => {
    const [released] = await releaseIn(tx, editionId, now, allocationId);
    if (!released) return { ok: false, reason: "not_found" } as const;
    const returned = released.seats - released.used;
    await recordAudit(tx, actor, {
      editionId,
      action: "allocation.released",
      subjectType: "allocation",
      subjectId: allocationId,
      after: { name: released.name, returned },
    });
    return { ok: true, returned } as const;
  });
}

/**
 * The release job (the hold sweep's timer, every instance): every block whose date has come gives its unused seats
 * back to general sale, one edition per transaction. Idempotent: instances serialise on the edition's row and the
 * second finds nothing left to release. Returns the blocks released.
 */
export async function releaseDueAllocations(db: Db, now: Date): Promise<number> {
  const due = await db.seatAllocation.findMany({
    where: { releasedAt: null, releaseAt: { lte: now }, kind: "BLOCK" },
    distinct: ["editionId"],
    select: { editionId: true },
  });
  let released = 0;
  for (const { editionId } of due) {
    released += (await db.$transaction((tx) => releaseIn(tx, editionId, now))).length;
  }
  return released;
}

export type AllocationRow = SeatAllocation & {
  ticketType: { id: string; code: string; nameEn: string; nameFr: string } | null;
  codes: number;
  /** Seats the block still keeps out of general sale: 0 once released. */
  left: number;
};

/** An edition's blocks, soonest release first, with their codes counted: the back office's list and dashboard. */
export async function listAllocations(db: Db, editionId: string): Promise<AllocationRow[]> {
  const blocks = await db.seatAllocation.findMany({
    where: { editionId, kind: "BLOCK" },
    orderBy: [{ releaseAt: "asc" }, { name: "asc" }],
    include: {
      ticketType: { select: { id: true, code: true, nameEn: true, nameFr: true } },
      _count: { select: { vouchers: true } },
    },
  });
  return blocks.map(({ _count, ...block }) => ({
    ...block,
    codes: _count.vouchers,
    left: block.releasedAt ? 0 : block.seats - block.used,
  }));
}
