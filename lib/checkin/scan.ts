import { createHash, randomUUID, type KeyObject } from "node:crypto";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import type { CheckInResult, Prisma } from "@/lib/generated/prisma/client";
import { confirmedSeat, confirmedSeatWhere } from "@/lib/capacity/seats";
import { verifyTicketCode } from "@/lib/tickets/codes";
import { buyerLabel, holderName } from "@/lib/orders/holder";
import { ticketStanding, type Standing } from "@/lib/tickets/standing";

/** `unnamed`: the buyer has not named this ticket yet; it is admitted under the buyer's name, and staff see so. */
export type Attendee = {
  name: string;
  company: string | null;
  ticketTypeFr: string;
  ticketTypeEn: string;
  unnamed?: true;
};
export type Counts = { checkedIn: number; expected: number };
/** Another live ticket of the same order, for staff to admit with it; `name` is null while unnamed. */
export type GroupMember = {
  ticketId: string;
  position: number;
  name: string | null;
  ticketTypeFr: string;
  ticketTypeEn: string;
  checkedIn: boolean;
};
/**
 * For a ticket of a team's order: how many of the order's live tickets are in, this one included,
 * and the others, so the door can admit those present at once.
 */
export type GroupProgress = { inside: number; of: number; others: GroupMember[] };
/** Which edition a ticket shown at the wrong door is for; null when the scanner cannot tell. */
export type EditionNames = { nameFr: string; nameEn: string };

/** What the door is told, in a shape the scanner shows as it is and can store for offline use. */
export type CheckInAnswer =
  | {
      result: "admitted";
      ticketId: string;
      attendee: Attendee;
      checkedInAt: string;
      counts: Counts;
      group?: GroupProgress;
    }
  | {
      result: "already_checked_in";
      ticketId: string;
      attendee: Attendee;
      checkedInAt: string;
      by: { deviceId: string; user: string | null };
      counts: Counts;
      group?: GroupProgress;
    }
  | { result: "cancelled"; ticketId: string; attendee: Attendee; reason: Exclude<Standing, "valid">; counts: Counts }
  | { result: "wrong_edition"; edition: EditionNames | null; counts: Counts }
  | { result: "forged"; counts: Counts }
  | { result: "unknown"; counts: Counts };

export const scanRequestSchema = z
  .object({
    code: z.string().trim().min(1).max(400).optional(),
    ticketId: z.uuid().optional(),
    nonce: z
      .string()
      .trim()
      .min(8)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    deviceId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.:-]+$/),
    scannedAt: z.iso.datetime({ offset: true }).optional(),
    offlineAdmitted: z.boolean().default(false),
    /** Admitted with this ticket's group: the ticket must belong to the same order. */
    viaTicketId: z.uuid().optional(),
  })
  .refine((request) => Boolean(request.code) !== Boolean(request.ticketId), {
    message: "give either code or ticketId",
  });

export type ScanRequest = z.output<typeof scanRequestSchema>;
export type Scanner = { userId: string | null; apiTokenId: string | null };

const RESULT_TO_DB: Record<CheckInAnswer["result"], CheckInResult> = {
  admitted: "ADMITTED",
  already_checked_in: "ALREADY_CHECKED_IN",
  cancelled: "CANCELLED",
  wrong_edition: "WRONG_EDITION",
  forged: "FORGED",
  unknown: "UNKNOWN",
};

export async function checkInCounts(db: Pick<Db, "ticket">, editionId: string): Promise<Counts> {
  const live = { editionId, ...confirmedSeatWhere };
  const [checkedIn, expected] = await Promise.all([
    db.ticket.count({ where: { ...live, checkedInAt: { not: null } } }),
    db.ticket.count({ where: live }),
  ]);
  return { checkedIn, expected };
}

class Replayed extends Error {}

// Read after the admission, in its transaction: "3 of 5 of this order are in" counts this ticket too.
// One query over the order's own tickets, never over the edition.
async function groupProgress(tx: Prisma.TransactionClient, ticketId: string): Promise<GroupProgress | undefined> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      position: number;
      firstName: string | null;
      lastName: string | null;
      nameFr: string;
      nameEn: string;
      checkedIn: boolean;
    }[]
  >`
    SELECT t.id, t.position, t."firstName", t."lastName", tt."nameFr", tt."nameEn",
           t."checkedInAt" IS NOT NULL AS "checkedIn"
    FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" JOIN "TicketType" tt ON tt.id = t."ticketTypeId"
    WHERE t."orderId" = (SELECT "orderId" FROM "Ticket" WHERE id = ${ticketId}::uuid) AND ${confirmedSeat}
    ORDER BY t.position`;
  if (rows.length < 2) return undefined;
  const others = rows
    .filter((row) => row.id !== ticketId)
    .map((row) => ({
      ticketId: row.id,
      position: row.position,
      name: holderName(row),
      ticketTypeFr: row.nameFr,
      ticketTypeEn: row.nameEn,
      checkedIn: row.checkedIn,
    }));
  return { inside: rows.filter((row) => row.checkedIn).length, of: rows.length, others };
}

const ticketInclude = {
  ticketType: { select: { nameFr: true, nameEn: true } },
  order: { select: { status: true, buyerFirstName: true, buyerLastName: true, buyerCompany: true } },
} satisfies Prisma.TicketInclude;

function attendeeOf(ticket: Prisma.TicketGetPayload<{ include: typeof ticketInclude }>): Attendee {
  const types = { ticketTypeFr: ticket.ticketType.nameFr, ticketTypeEn: ticket.ticketType.nameEn };
  const name = holderName(ticket);
  if (name === null) return { name: buyerLabel(ticket.order), company: null, ...types, unnamed: true };
  return { name, company: ticket.company, ...types };
}

export type Verdict =
  | { kind: "refused"; result: "forged" | "wrong_edition" | "unknown" }
  | { kind: "cancelled"; ticketId: string; attendee: Attendee; reason: Exclude<Standing, "valid"> }
  | { kind: "admissible"; ticketId: string; attendee: Attendee };

/** The ticket a request is about: from a code we signed for this edition, or a manual check-in's id. */
type ScanTarget =
  { refused: "forged" } | { refused: "wrong_edition"; editionId: string } | { ticketId: string; codeVersion?: number };

function ticketOf(
  publicKey: KeyObject,
  editionId: string,
  request: Pick<ScanRequest, "code" | "ticketId">,
): ScanTarget {
  if (!request.code) return { ticketId: request.ticketId! };
  const verified = verifyTicketCode(request.code, publicKey);
  if (!verified.ok) return { refused: "forged" };
  if (verified.claims.editionId !== editionId) {
    return { refused: "wrong_edition", editionId: verified.claims.editionId };
  }
  return { ticketId: verified.claims.ticketId, codeVersion: verified.claims.codeVersion };
}

/**
 * What the ticket is worth at this edition's door, read inside the admission's transaction after
 * the ticket's row lock: a transfer, reissue, refund or cancellation committed a moment before
 * is seen, and one still running waits for the scan or the scan waits for it.
 */
async function judge(
  tx: Prisma.TransactionClient,
  editionId: string,
  ticketId: string,
  codeVersion?: number,
  viaTicketId?: string,
): Promise<Verdict> {
  // Admitted with a group: a ticket of another order is unknown here, whatever list the device sent.
  const sameOrder = viaTicketId ? { order: { tickets: { some: { id: viaTicketId, editionId } } } } : {};
  const ticket = await tx.ticket.findFirst({
    where: { id: ticketId, editionId, ...sameOrder },
    include: ticketInclude,
  });
  if (!ticket) return { kind: "refused", result: "unknown" };
  const attendee = attendeeOf(ticket);
  const standing = ticketStanding(ticket, ticket.order, codeVersion);
  if (standing !== "valid") return { kind: "cancelled", ticketId: ticket.id, attendee, reason: standing };
  return { kind: "admissible", ticketId: ticket.id, attendee };
}

// How far a scanner's clock is believed: scans queued offline are older than their upload, but
// never older than a day before the edition starts (or before today), and never in the future.
const EARLIEST_BEFORE = 24 * 3600_000;

/** The scan's time, brought into a window around the edition so year 0000 or 9999 is never stored. */
export function scanTime(requested: string | undefined, edition: { startsAt: Date }, now: Date): Date {
  if (!requested) return now;
  const earliest = Math.min(edition.startsAt.getTime(), now.getTime()) - EARLIEST_BEFORE;
  const at = new Date(requested).getTime();
  return new Date(Number.isNaN(at) ? now.getTime() : Math.min(Math.max(at, earliest), now.getTime()));
}

/**
 * What a code (or a ticket id) would be told at this edition's door now, recording nothing: the
 * same judge as recordScan, for checks outside the door (tests, the e2e oracle).
 */
export async function doorVerdict(
  db: Db,
  publicKey: KeyObject,
  editionId: string,
  request: Pick<ScanRequest, "code" | "ticketId">,
): Promise<Verdict> {
  const target = ticketOf(publicKey, editionId, request);
  if ("refused" in target) return { kind: "refused", result: target.refused };
  return db.$transaction((tx) => judge(tx, editionId, target.ticketId, target.codeVersion));
}

/** A fingerprint of who sent what: a retry with the same nonce must carry the same request. */
function requestDigest(scanner: Scanner, request: ScanRequest): string {
  const { code, ticketId, deviceId, scannedAt, offlineAdmitted, viaTicketId } = request;
  const canonical = [scanner.userId, scanner.apiTokenId, deviceId, code ?? null, ticketId ?? null];
  canonical.push(scannedAt ?? null, String(offlineAdmitted));
  // Only when set, so the digests of scans recorded before group check-in still match their retries.
  if (viaTicketId) canonical.push(viaTicketId);
  return createHash("sha256").update(JSON.stringify(canonical)).digest("base64url");
}

export type ScanOutcome = (CheckInAnswer & { replayed: boolean }) | { result: "nonce_reused"; replayed: false };

async function replayOf(db: Db, editionId: string, nonce: string, digest: string): Promise<ScanOutcome | null> {
  const earlier = await db.checkInScan.findUnique({
    where: { editionId_nonce: { editionId, nonce } },
    select: { answer: true, requestDigest: true },
  });
  if (!earlier) return null;
  // A nonce is an idempotency key, not a way to read another scan's answer.
  if (earlier.requestDigest !== digest) return { result: "nonce_reused", replayed: false };
  return { ...(earlier.answer as CheckInAnswer), replayed: true };
}

/**
 * Records one scan at the door and answers it. Of any number of devices scanning one ticket at
 * once, exactly one is admitted: the ticket's row is locked, the ticket judged, and the admission
 * is a conditional update ("not yet checked in"). A retry with the same nonce (at this edition,
 * from the same scanner, with the same request) gets the first answer and records nothing more;
 * the same nonce with another request is refused. Every scan, admitted or refused, is kept.
 */
export async function recordScan(
  db: Db,
  publicKey: KeyObject,
  editionId: string,
  scanner: Scanner,
  request: ScanRequest,
  now = new Date(),
): Promise<ScanOutcome> {
  const digest = requestDigest(scanner, request);
  const earlier = await replayOf(db, editionId, request.nonce, digest);
  if (earlier) return earlier;
  const target = ticketOf(publicKey, editionId, request);
  try {
    const answer = await db.$transaction(async (tx): Promise<CheckInAnswer> => {
      const edition = await tx.edition.findUniqueOrThrow({ where: { id: editionId }, select: { startsAt: true } });
      const scannedAt = scanTime(request.scannedAt, edition, now);
      const scanId = randomUUID();
      let verdict: Verdict;
      if ("refused" in target) verdict = { kind: "refused", result: target.refused };
      else {
        // Scans of one ticket queue on its row from the start. Without this, two of them would each
        // hold the key-share lock their scan's foreign key takes on the ticket, then each wait for
        // the other to update it: a deadlock (measured with bench:checkin, 2 scans in 600).
        await tx.$queryRaw`
          SELECT 1 FROM "Ticket" WHERE id = ${target.ticketId}::uuid AND "editionId" = ${editionId}::uuid FOR UPDATE`;
        verdict = await judge(tx, editionId, target.ticketId, target.codeVersion, request.viaTicketId);
      }
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "CheckInScan" (id, nonce, "requestDigest", "editionId", "ticketId", result, "deviceId", "userId",
                                   "apiTokenId", "scannedAt", "receivedAt", offline, answer, "viaTicketId")
        VALUES (${scanId}::uuid, ${request.nonce}, ${digest}, ${editionId}::uuid,
                ${verdict.kind === "refused" ? null : verdict.ticketId}::uuid, 'UNKNOWN', ${request.deviceId},
                ${scanner.userId}::uuid, ${scanner.apiTokenId}::uuid, ${scannedAt}, ${now}, ${request.offlineAdmitted},
                '{}'::jsonb, ${request.viaTicketId ?? null}::uuid)
        ON CONFLICT ("editionId", nonce) DO NOTHING
        RETURNING id`;
      // The same nonce arrived twice at once: the other request's answer stands.
      if (inserted.length === 0) throw new Replayed();
      let answer: CheckInAnswer;
      if ("refused" in target && target.refused === "wrong_edition") {
        // The code is signed by us, so the edition it names is one we issued it for.
        const other = await tx.edition.findUnique({
          where: { id: target.editionId },
          select: { nameFr: true, nameEn: true },
        });
        answer = { result: "wrong_edition", edition: other, counts: await checkInCounts(tx, editionId) };
      } else if (verdict.kind === "refused") {
        answer = { result: verdict.result as "forged" | "unknown", counts: await checkInCounts(tx, editionId) };
      } else if (verdict.kind === "cancelled") {
        answer = {
          result: "cancelled",
          ticketId: verdict.ticketId,
          attendee: verdict.attendee,
          reason: verdict.reason,
          counts: await checkInCounts(tx, editionId),
        };
      } else {
        const admitted = await tx.$executeRaw`
          UPDATE "Ticket" SET "checkedInAt" = ${scannedAt}, "checkedInScanId" = ${scanId}::uuid, "updatedAt" = ${now}
          WHERE id = ${verdict.ticketId}::uuid AND "checkedInAt" IS NULL AND status = 'ACTIVE'`;
        const group = await groupProgress(tx, verdict.ticketId);
        if (admitted === 1) {
          answer = {
            result: "admitted",
            ticketId: verdict.ticketId,
            attendee: verdict.attendee,
            checkedInAt: scannedAt.toISOString(),
            counts: await checkInCounts(tx, editionId),
            ...(group && { group }),
          };
        } else {
          const ticket = await tx.ticket.findUniqueOrThrow({
            where: { id: verdict.ticketId },
            select: { checkedInAt: true, checkedInScan: { select: { deviceId: true, userId: true } } },
          });
          const user = ticket.checkedInScan?.userId
            ? await tx.user.findUnique({ where: { id: ticket.checkedInScan.userId }, select: { email: true } })
            : null;
          answer = {
            result: "already_checked_in",
            ticketId: verdict.ticketId,
            attendee: verdict.attendee,
            checkedInAt: (ticket.checkedInAt ?? scannedAt).toISOString(),
            by: { deviceId: ticket.checkedInScan?.deviceId ?? "?", user: user?.email ?? null },
            counts: await checkInCounts(tx, editionId),
            ...(group && { group }),
          };
        }
      }
      await tx.checkInScan.update({
        where: { id: scanId },
        data: {
          result: RESULT_TO_DB[answer.result],
          answer,
          offlineConflict: request.offlineAdmitted && answer.result === "already_checked_in",
        },
      });
      return answer;
    });
    return { ...answer, replayed: false };
  } catch (error) {
    if (!(error instanceof Replayed)) throw error;
    return (await replayOf(db, editionId, request.nonce, digest))!;
  }
}

/** An organiser takes back a check-in (a mistaken scan): audited, and kept among the scans. */
export async function undoCheckIn(
  db: Db,
  actor: AuditActor,
  editionId: string,
  ticketId: string,
  now = new Date(),
): Promise<{ ok: boolean }> {
  return db.$transaction(async (tx) => {
    const ticket = await tx.ticket.findFirst({ where: { id: ticketId, editionId, checkedInAt: { not: null } } });
    if (!ticket) return { ok: false };
    await tx.ticket.update({ where: { id: ticketId }, data: { checkedInAt: null, checkedInScanId: null } });
    await tx.checkInScan.create({
      data: {
        nonce: `undo-${randomUUID()}`,
        editionId,
        ticketId,
        result: "UNDONE",
        deviceId: "back-office",
        userId: actor.id,
        scannedAt: now,
        receivedAt: now,
        answer: { result: "undone" },
      },
    });
    await recordAudit(tx, actor, {
      editionId,
      action: "attendee.check_in_undone",
      subjectType: "ticket",
      subjectId: ticketId,
      before: { checkedInAt: ticket.checkedInAt },
      after: { checkedInAt: null },
    });
    return { ok: true };
  });
}
