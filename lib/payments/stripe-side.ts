import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { cancelOrder, lockOrder, type LockedOrder } from "@/lib/orders/transitions";
import { refundedCents, refundStatusOf } from "./refunds";
import { isUuid, recordStripeEvent, type StripeEventRef } from "./settle";
import type { ChargeRead, DisputeRead, RefundRead } from "./stripe-reads";
import { log } from "@/lib/log/logger";

// What Stripe tells us happened on its side, outside Guichet's own calls: a refund's outcome, a
// refund or a dispute made in Stripe's dashboard. Each is applied once, with its event recorded
// in the same transaction.

export type RefundUpdateOutcome = "updated" | "unknown_refund" | "duplicate_event";

/** refund.created / refund.updated / refund.failed: keep our refund's status Stripe's. */
export async function applyRefundUpdate(
  db: Db,
  event: StripeEventRef,
  refund: RefundRead,
): Promise<RefundUpdateOutcome> {
  const status = refundStatusOf(refund.status);
  const ourId = refund.metadata?.refundId;
  // Ours by Stripe's id once recorded, or by our id in its metadata before the send's answer is.
  const match = {
    OR: [{ stripeRefundId: refund.id }, ...(isUuid(ourId) ? [{ id: ourId, stripeRefundId: null }] : [])],
  };
  return db.$transaction(async (tx): Promise<RefundUpdateOutcome> => {
    const ours = await tx.refund.findFirst({ where: match });
    const orphan = ours ? null : await tx.orphanPayment.findFirst({ where: match });
    if (!(await recordStripeEvent(tx, event, ours?.orderId ?? orphan?.orderId ?? null))) return "duplicate_event";
    const failed = status === "FAILED" || status === "CANCELED";
    const data = {
      status,
      stripeRefundId: refund.id,
      lastError: failed ? (refund.failure_reason ?? refund.status) : null,
      settledAt: status === "SUCCEEDED" ? new Date() : null,
      nextAttemptAt: null,
    };
    if (ours) await tx.refund.update({ where: { id: ours.id }, data });
    else if (orphan) await tx.orphanPayment.update({ where: { id: orphan.id }, data });
    else return "unknown_refund";
    if (failed) {
      const details = { refundId: ours?.id ?? orphan?.id, reason: refund.failure_reason };
      log.error({ alert: true, stripeRefundId: refund.id, status: refund.status, ...details }, "stripe refund failed");
    }
    return "updated";
  });
}

export type ChargeOutcome =
  "refunded" | "cancelled" | "partial_refund" | "no_change" | "unknown_payment" | "duplicate_event";

/** Records the event and locks the order a charge's payment intent paid, in one transaction. */
async function withPaidOrder(
  db: Db,
  event: StripeEventRef,
  paymentIntent: string | { id: string } | null,
  effect: (tx: Prisma.TransactionClient, order: LockedOrder) => Promise<ChargeOutcome>,
): Promise<ChargeOutcome> {
  const paymentIntentId = typeof paymentIntent === "string" ? paymentIntent : (paymentIntent?.id ?? null);
  return db.$transaction(async (tx): Promise<ChargeOutcome> => {
    const select = { id: true };
    const found = paymentIntentId ? await tx.order.findUnique({ where: { paymentIntentId }, select }) : null;
    if (!(await recordStripeEvent(tx, event, found?.id ?? null))) return "duplicate_event";
    const order = found ? await lockOrder(tx, found.id) : null;
    return order ? effect(tx, order) : "unknown_payment";
  });
}

/**
 * charge.refunded: money went back from Stripe's side. Stripe reports the charge's cumulative
 * `amount_refunded`, our own refunds included (their rows commit before Stripe is called), so only
 * the excess over them was made elsewhere. An excess that completes the payment was a refund of the
 * rest in Stripe's dashboard: the order's live tickets are cancelled and their seats freed. A smaller
 * one is only flagged, since the organiser may have meant a goodwill gesture.
 */
export async function applyChargeRefunded(
  db: Db,
  event: StripeEventRef,
  charge: ChargeRead,
  now: Date,
): Promise<ChargeOutcome> {
  return withPaidOrder(db, event, charge.payment_intent, async (tx, order) => {
    if (order.status !== "CONFIRMED") return "no_change";
    const ours = await refundedCents(tx, order.id);
    if (charge.amount_refunded <= ours) return "no_change";
    if (charge.amount_refunded < order.amountCents) {
      const details = { orderId: order.id, refunded: charge.amount_refunded, ours };
      log.error({ alert: true, ...details }, "partial refund made in Stripe: the tickets stay valid");
      return "partial_refund";
    }
    await cancelOrder(tx, order, "REFUNDED", { reason: "refunded_in_stripe", now });
    await tx.refund.create({
      data: {
        orderId: order.id,
        amountCents: order.amountCents - ours,
        currency: order.currency,
        reason: "refunded_in_stripe",
        status: "SUCCEEDED",
        createdAt: now,
        settledAt: now,
      },
    });
    return "refunded";
  });
}

/**
 * charge.dispute.created: the payer asked their bank for the money back. The ticket no longer
 * admits and its seat is freed; the organiser answers the dispute in Stripe.
 */
export async function applyDisputeCreated(
  db: Db,
  event: StripeEventRef,
  dispute: DisputeRead,
  now: Date,
): Promise<ChargeOutcome> {
  return withPaidOrder(db, event, dispute.payment_intent, async (tx, order) => {
    const details = { orderId: order.id, disputeId: dispute.id, reason: dispute.reason, amount: dispute.amount };
    log.error({ alert: true, ...details }, "payment disputed");
    if (order.status !== "CONFIRMED") return "no_change";
    await cancelOrder(tx, order, "CANCELLED", { reason: "disputed", now });
    return "cancelled";
  });
}
