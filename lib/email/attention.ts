import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { BULK_EMAIL_KINDS, queueEmailJob, queueOfKind } from "./queue";

/** An email still waiting this long after it was queued is shown to organisers beside the failed ones. */
export const LONG_PENDING_MINUTES = 15;
const SHOWN = 200;

export type EmailNeedingAttention = {
  id: string;
  kind: string;
  toAddress: string;
  status: "FAILED" | "PENDING";
  attempts: number;
  lastError: string | null;
  queuedAt: Date;
  /** Null for an email about no order (the waiting list's, a speaker's pass). */
  orderReference: string | null;
};

/**
 * An edition's emails that failed for good or have waited long: what organisers should look at. Found by the
 * email's own edition, so the ones about no order (the waiting list's) are listed too. A message's email waiting is
 * its dispatch's progress, shown on the message's page: only its failures are listed here.
 */
export async function listEmailsNeedingAttention(
  db: Db,
  editionId: string,
  now = new Date(),
): Promise<EmailNeedingAttention[]> {
  const waitingSince = new Date(now.getTime() - LONG_PENDING_MINUTES * 60_000);
  const rows = await db.emailOutbox.findMany({
    where: {
      editionId,
      OR: [
        { status: "FAILED" },
        { status: "PENDING", queuedAt: { lte: waitingSince }, kind: { notIn: [...BULK_EMAIL_KINDS] } },
      ],
    },
    include: { order: { select: { reference: true } } },
    orderBy: { queuedAt: "asc" },
    take: SHOWN,
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    toAddress: row.toAddress,
    status: row.status as "FAILED" | "PENDING",
    attempts: row.attempts,
    lastError: row.lastError,
    queuedAt: row.queuedAt,
    orderReference: row.order?.reference ?? null,
  }));
}

export type ResendOutcome = { ok: true } | { ok: false; reason: "not_found" };

/**
 * An organiser sends a failed (or long-waiting) email again: it is PENDING with a fresh retry
 * policy and a new job. What it says is decided at send time, so a confirmation whose ticket
 * changed hands meanwhile is still superseded rather than sent.
 */
export async function resendOutboxEmail(
  db: Db,
  actor: AuditActor,
  editionId: string,
  outboxId: string,
): Promise<ResendOutcome> {
  return db.$transaction(async (tx): Promise<ResendOutcome> => {
    const [email] = await tx.$queryRaw<
      {
        id: string;
        kind: string;
        orderId: string | null;
        entryId: string | null;
        voucherId: string | null;
        status: string;
        attempts: number;
        lastError: string | null;
        toAddress: string;
      }[]
    >`
      SELECT o.id::text AS id, o.kind, o."orderId"::text AS "orderId", o.payload->>'entryId' AS "entryId",
             o.payload->>'voucherId' AS "voucherId",
             o.status::text AS status,
             o.attempts, o."lastError", o."toAddress"
      FROM "EmailOutbox" o
      WHERE o.id = ${outboxId}::uuid AND o."editionId" = ${editionId}::uuid AND o.status IN ('FAILED', 'PENDING')
      FOR UPDATE`;
    if (!email) return { ok: false, reason: "not_found" };
    await tx.emailOutbox.update({
      where: { id: outboxId },
      data: { status: "PENDING", attempts: 0, queuedAt: new Date() },
    });
    await queueEmailJob(tx, outboxId, queueOfKind(email.kind));
    await recordAudit(tx, actor, {
      editionId,
      action: "email.resent",
      ...auditSubjectOf(email),
      before: { status: email.status, attempts: email.attempts, lastError: email.lastError },
      after: { status: "PENDING", to: email.toAddress },
    });
    return { ok: true };
  });
}

// What the resent email is about, for the audit log: its order, else the waiting-list entry or the voucher it names.
function auditSubjectOf(email: { orderId: string | null; entryId: string | null; voucherId: string | null }) {
  if (email.orderId) return { subjectType: "order" as const, subjectId: email.orderId };
  if (email.entryId) return { subjectType: "waitlist_entry" as const, subjectId: email.entryId };
  if (email.voucherId) return { subjectType: "voucher" as const, subjectId: email.voucherId };
  return { subjectType: "order" as const, subjectId: null };
}
