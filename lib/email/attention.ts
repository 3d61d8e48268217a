import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { queueEmailJob } from "./queue";

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
  orderReference: string;
};

/** An edition's emails that failed for good or have waited long: what organisers should look at. */
export async function listEmailsNeedingAttention(
  db: Db,
  editionId: string,
  now = new Date(),
): Promise<EmailNeedingAttention[]> {
  const waitingSince = new Date(now.getTime() - LONG_PENDING_MINUTES * 60_000);
  const rows = await db.emailOutbox.findMany({
    where: { order: { editionId }, OR: [{ status: "FAILED" }, { status: "PENDING", queuedAt: { lte: waitingSince } }] },
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
    orderReference: row.order?.reference ?? "",
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
      { id: string; orderId: string; status: string; attempts: number; lastError: string | null; toAddress: string }[]
    >`
      SELECT o.id::text AS id, o."orderId"::text AS "orderId", o.status::text AS status,
             o.attempts, o."lastError", o."toAddress"
      FROM "EmailOutbox" o JOIN "Order" ord ON ord.id = o."orderId"
      WHERE o.id = ${outboxId}::uuid AND ord."editionId" = ${editionId}::uuid AND o.status IN ('FAILED', 'PENDING')
      FOR UPDATE OF o`;
    if (!email) return { ok: false, reason: "not_found" };
    await tx.emailOutbox.update({
      where: { id: outboxId },
      data: { status: "PENDING", attempts: 0, queuedAt: new Date() },
    });
    await queueEmailJob(tx, outboxId);
    await recordAudit(tx, actor, {
      editionId,
      action: "email.resent",
      subjectType: "order",
      subjectId: email.orderId,
      before: { status: email.status, attempts: email.attempts, lastError: email.lastError },
      after: { status: "PENDING", to: email.toAddress },
    });
    return { ok: true };
  });
}
