import type Stripe from "stripe";
import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { REFUND_NEEDS_ATTENTION, retryRefund, type RefundSource } from "./refunds";

export type RefundRetry = { ok: true } | { ok: false; reason: "not_found" | "failed" };

/**
 * The back office's "retry the refund" on an attendee's order, or on a payment we could not keep:
 * scoped to the edition the organiser is working on, audited, then sent like any other retry.
 */
export async function retryEditionRefund(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  editionId: string,
  target: { ticketId: string } | { orphanPaymentId: string },
): Promise<RefundRetry> {
  const found: { source: RefundSource; id: string; orderId: string | null } | null =
    "ticketId" in target
      ? await db.refund
          .findFirst({ where: { order: { editionId, tickets: { some: { id: target.ticketId } } }, ...REFUND_NEEDS_ATTENTION }, select: { id: true, orderId: true } })
          .then((refund) => refund && { source: "refund" as const, id: refund.id, orderId: refund.orderId })
      : await db.orphanPayment
          .findFirst({ where: { id: target.orphanPaymentId, order: { editionId }, ...REFUND_NEEDS_ATTENTION }, select: { id: true, orderId: true } })
          .then((orphan) => orphan && { source: "orphan" as const, id: orphan.id, orderId: orphan.orderId });
  if (!found) return { ok: false, reason: "not_found" };
  await db.$transaction((tx) => recordAudit(tx, actor, { editionId, action: "refund.retried", subjectType: "order", subjectId: found.orderId, after: { [found.source]: found.id } }));
  return (await retryRefund(db, stripe, found.source, found.id)) === "sent" ? { ok: true } : { ok: false, reason: "failed" };
}
