import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { can, ROLES } from "@/lib/auth/roles";
import { verifyTicketCode, type VerifyKey } from "@/lib/tickets/codes";
import { buyerLabel, holderName } from "@/lib/orders/holder";
import { ticketStanding, type Standing } from "@/lib/tickets/standing";
import { metrics } from "@/lib/metrics/registry";
import { doorEditionSlug } from "./door-edition";

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

// A scan's answer is a few hundred bytes: gzipping it (Next.js compresses every streamed response a client accepts
// gzip for) cost more CPU per scan than the answer takes on the wire. no-transform tells Next.js not to.
export const SCAN_ANSWER_HEADERS = { "cache-control": "no-store, no-transform" };

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

/** The door's two numbers, in O(devices): the seat counter and the check-in tally (migration 20261129120000). */
export async function checkInCounts(db: Pick<Db, "$queryRaw">, editionId: string): Promise<Counts> {
  const [row] = await db.$queryRaw<{ counts: Counts }[]>`SELECT guichet_check_in_counts(${editionId}::uuid) AS counts`;
  return row.counts;
}

const ticketInclude = {
  ticketType: { select: { nameFr: true, nameEn: true } },
  order: { select: { status: true, buyerFirstName: true, buyerLastName: true, buyerCompany: true } },
} satisfies Prisma.TicketInclude;

export function attendeeOf(ticket: Prisma.TicketGetPayload<{ include: typeof ticketInclude }>): Attendee {
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
  verifyKeys: readonly VerifyKey[],
  editionId: string,
  request: Pick<ScanRequest, "code" | "ticketId">,
  now: Date,
): ScanTarget {
  if (!request.code) return { ticketId: request.ticketId! };
  const verified = verifyTicketCode(request.code, verifyKeys, now);
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

/**
 * What a code (or a ticket id) would be told at this edition's door now, recording nothing: the
 * same judge as recordScan, for checks outside the door (tests, the e2e oracle).
 */
export async function doorVerdict(
  db: Db,
  verifyKeys: readonly VerifyKey[],
  editionId: string,
  request: Pick<ScanRequest, "code" | "ticketId">,
  now = new Date(),
): Promise<Verdict> {
  const target = ticketOf(verifyKeys, editionId, request, now);
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

/** `scanner_refused`: the device token was revoked (or its creator disabled or no longer allowed to scan). */
export type ScanOutcome =
  | (CheckInAnswer & { replayed: boolean })
  | { result: "nonce_reused"; replayed: false }
  | { result: "scanner_refused"; replayed: false };

type ScanDecision =
  { answer: CheckInAnswer } | { replay: CheckInAnswer; digest: string | null } | { refused: "scanner" };

const ROLES_THAT_SCAN = ROLES.filter((role) => can(role, "checkin:scan"));

/**
 * Records one scan at the door and answers it, in one statement (`guichet_scan`, migration
 * 20261129120000): the device token is checked, the ticket's row locked, the ticket judged, and the
 * admission is a conditional update ("not yet checked in"), so of any number of devices scanning one
 * ticket at once exactly one is admitted. A retry with the same nonce (at this edition, from the same
 * scanner, with the same request) gets the first answer and records nothing more; the same nonce with
 * another request is refused. Every scan, admitted or refused, is kept. The counts come from counter
 * rows, and the admission is tallied on the device's own row: no scan writes a row another device's
 * scans write.
 */
export async function recordScan(
  db: Pick<Db, "$queryRaw">,
  verifyKeys: readonly VerifyKey[],
  editionId: string,
  scanner: Scanner,
  request: ScanRequest,
  now = new Date(),
): Promise<ScanOutcome> {
  const digest = requestDigest(scanner, request);
  const target = ticketOf(verifyKeys, editionId, request, now);
  const requestedAt = request.scannedAt === undefined ? null : new Date(request.scannedAt).getTime();
  const scan = {
    editionId,
    nonce: request.nonce,
    digest,
    deviceId: request.deviceId,
    userId: scanner.userId,
    apiTokenId: scanner.apiTokenId,
    rolesThatScan: ROLES_THAT_SCAN,
    ...("refused" in target
      ? { refused: target.refused, codeEditionId: target.refused === "wrong_edition" ? target.editionId : null }
      : { ticketId: target.ticketId, codeVersion: target.codeVersion ?? null }),
    viaTicketId: request.viaTicketId ?? null,
    requestedAtMs: requestedAt === null || Number.isNaN(requestedAt) ? null : requestedAt,
    now: now.toISOString(),
    offline: request.offlineAdmitted,
    // Each phone scans one ticket at a time, so only its own scans write its tally row.
    tallySource: `device:${scanner.apiTokenId ?? scanner.userId ?? "-"}:${request.deviceId}`,
  };
  const [{ decision }] = await db.$queryRaw<{ decision: ScanDecision }[]>`
    SELECT guichet_scan(${JSON.stringify(scan)}::jsonb) AS decision`;
  if ("refused" in decision) return { result: "scanner_refused", replayed: false };
  if ("replay" in decision) {
    // A nonce is an idempotency key, not a way to read another scan's answer.
    if (decision.digest !== digest) return { result: "nonce_reused", replayed: false };
    return { ...decision.replay, replayed: true };
  }
  const labels = { result: decision.answer.result, mode: request.offlineAdmitted ? "offline" : "online" };
  metrics().checkinScans.inc({ edition: await doorEditionSlug(db, editionId), ...labels });
  return { ...decision.answer, replayed: false };
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
