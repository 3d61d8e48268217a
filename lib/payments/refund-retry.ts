import type Stripe from "stripe";
import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { REFUND_NEEDS_ATTENTION, REFUND_TO_RETRY, retryRefund, type RefundSource } from "./refunds";

export type RefundRetry = { ok: true } | { ok: false; reason: "not_found" | "failed" };

type RetryTarget = { ticketId: string } | { orphanPaymentId: string };

/**
 * The back office's "retry the refund" on an attendee's order, or on a payment we could not keep:
 * scoped to the edition the organiser is working on, audited, then sent like any other retry.
 */
export async function retryEditionRefund(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  editionId: string,
  target: RetryTarget,
): Promise<RefundRetry> {
  const found = await findRefundToRetry(db, editionId, target);
  if (!found) return { ok: false, reason: "not_found" };
  const change = {
    editionId,
    action: "refund.retried",
    subjectType: "order" as const,
    subjectId: found.orderId,
    after: { [found.source]: found.id },
  };
  await db.$transaction((tx) => recordAudit(tx, actor, change));
  const sent = (await retryRefund(db, stripe, found.source, found.id)) === "sent";
  return sent ? { ok: true } : { ok: false, reason: "failed" };
}

type FoundRefund = { source: RefundSource; id: string; orderId: string | null };

async function findRefundToRetry(db: Db, editionId: string, target: RetryTarget): Promise<FoundRefund | null> {
  const select = { id: true, orderId: true };
  if ("ticketId" in target) {
    const order = { editionId, tickets: { some: { id: target.ticketId } } };
    const refund = await db.refund.findFirst({ where: { order, ...REFUND_TO_RETRY }, select });
    return refund && { source: "refund", ...refund };
  }
  const where = { id: target.orphanPaymentId, order: { editionId }, ...REFUND_NEEDS_ATTENTION };
  const orphan = await db.orphanPayment.findFirst({ where, select });
  return orphan && { source: "orphan", ...orphan };
}

export type TransferRefundSent = { ok: true } | { ok: false; reason: "not_found" };

/**
 * The organiser sent a refund of an order paid by bank transfer from their own bank account (Guichet cannot): it is
 * marked done, with who said so, and audited. Only a refund still to send, of an order of this edition; a second
 * click finds it done already and changes nothing.
 */
export async function markTransferRefundSent(
  db: Db,
  actor: AuditActor,
  { editionId, refundId }: { editionId: string; refundId: string },
  now = new Date(),
): Promise<TransferRefundSent> {
  return db.$transaction(async (tx): Promise<TransferRefundSent> => {
    const marked = await tx.refund.updateManyAndReturn({
      where: { id: refundId, method: "TRANSFER", status: "PENDING", order: { editionId } },
      data: { status: "SUCCEEDED", settledAt: now, sentBy: actor.email },
      select: { orderId: true, amountCents: true, currency: true },
    });
    if (marked.length === 0) return { ok: false, reason: "not_found" };
    const [{ orderId, amountCents, currency }] = marked;
    await recordAudit(tx, actor, {
      editionId,
      action: "refund.transfer_sent",
      subjectType: "order",
      subjectId: orderId,
      after: { refund: refundId, amountCents, currency },
    });
    return { ok: true };
  });
}
