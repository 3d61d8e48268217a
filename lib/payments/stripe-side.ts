import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { lockOrder, transitionOrder } from "@/lib/orders/transitions";
import { refundStatusOf } from "./refunds";
import { recordStripeEvent, type StripeEventRef } from "./settle";

// What Stripe tells us happened on its side, outside Guichet's own calls: a refund's outcome, a
// refund or a dispute made in Stripe's dashboard. Each is applied once, with its event recorded
// in the same transaction.

export type RefundUpdateOutcome = "updated" | "unknown_refund" | "duplicate_event";

/** refund.created / refund.updated / refund.failed: keep our refund's status Stripe's. */
export async function applyRefundUpdate(db: Db, event: StripeEventRef, refund: Stripe.Refund): Promise<RefundUpdateOutcome> {
  const status = refundStatusOf(refund.status);
  const ourId = refund.metadata?.refundId;
  return db.$transaction(async (tx): Promise<RefundUpdateOutcome> => {
    const ours = await tx.refund.findFirst({ where: { OR: [{ stripeRefundId: refund.id }, ...(isUuid(ourId) ? [{ id: ourId, stripeRefundId: null }] : [])] } });
    const orphan = ours ? null : await tx.orphanPayment.findFirst({ where: { OR: [{ stripeRefundId: refund.id }, ...(isUuid(ourId) ? [{ id: ourId, stripeRefundId: null }] : [])] } });
    if (!(await recordStripeEvent(tx, event, ours?.orderId ?? orphan?.orderId ?? null))) return "duplicate_event";
    const data = {
      status,
      stripeRefundId: refund.id,
      lastError: status === "FAILED" || status === "CANCELED" ? (refund.failure_reason ?? refund.status) : null,
      settledAt: status === "SUCCEEDED" ? new Date() : null,
      nextAttemptAt: null,
    };
    if (ours) await tx.refund.update({ where: { id: ours.id }, data });
    else if (orphan) await tx.orphanPayment.update({ where: { id: orphan.id }, data });
    else return "unknown_refund";
    if (status === "FAILED" || status === "CANCELED") console.error(`ALERT stripe refund ${refund.id} ${refund.status}`, { refundId: ours?.id ?? orphan?.id, reason: refund.failure_reason });
    return "updated";
  });
}

export type ChargeOutcome = "refunded" | "cancelled" | "partial_refund" | "no_change" | "unknown_payment" | "duplicate_event";

const paymentIntentOf = (value: string | { id: string } | null) => (typeof value === "string" ? value : (value?.id ?? null));

/**
 * charge.refunded: money went back from Stripe's side (a refund made in its dashboard, or our own
 * refund being reported). A full refund of a confirmed order cancels its ticket and frees its seat;
 * a partial one is only flagged, since the organiser may have meant a goodwill gesture.
 */
export async function applyChargeRefunded(db: Db, event: StripeEventRef, charge: Stripe.Charge, now: Date): Promise<ChargeOutcome> {
  const paymentIntentId = paymentIntentOf(charge.payment_intent);
  return db.$transaction(async (tx): Promise<ChargeOutcome> => {
    const found = paymentIntentId ? await tx.order.findUnique({ where: { paymentIntentId }, select: { id: true } }) : null;
    if (!(await recordStripeEvent(tx, event, found?.id ?? null))) return "duplicate_event";
    const order = found ? await lockOrder(tx, found.id) : null;
    if (!order) return "unknown_payment";
    if (order.status !== "CONFIRMED") return "no_change";
    if (charge.amount_refunded < order.amountCents) {
      console.error("ALERT partial refund made in Stripe: the ticket stays valid", { orderId: order.id, amountRefunded: charge.amount_refunded });
      return "partial_refund";
    }
    await transitionOrder(tx, order, "REFUNDED", { reason: "refunded_in_stripe", now });
    await tx.ticket.updateMany({ where: { orderId: order.id }, data: { status: "CANCELLED" } });
    await tx.refund.create({
      data: { orderId: order.id, amountCents: charge.amount_refunded, currency: order.currency, reason: "refunded_in_stripe", status: "SUCCEEDED", createdAt: now, settledAt: now },
    });
    return "refunded";
  });
}

/**
 * charge.dispute.created: the payer asked their bank for the money back. The ticket no longer
 * admits and its seat is freed; the organiser answers the dispute in Stripe.
 */
export async function applyDisputeCreated(db: Db, event: StripeEventRef, dispute: Stripe.Dispute, now: Date): Promise<ChargeOutcome> {
  const paymentIntentId = paymentIntentOf(dispute.payment_intent);
  return db.$transaction(async (tx): Promise<ChargeOutcome> => {
    const found = paymentIntentId ? await tx.order.findUnique({ where: { paymentIntentId }, select: { id: true } }) : null;
    if (!(await recordStripeEvent(tx, event, found?.id ?? null))) return "duplicate_event";
    const order = found ? await lockOrder(tx, found.id) : null;
    if (!order) return "unknown_payment";
    console.error("ALERT payment disputed", { orderId: order.id, disputeId: dispute.id, reason: dispute.reason, amount: dispute.amount });
    if (order.status !== "CONFIRMED") return "no_change";
    await transitionOrder(tx, order, "CANCELLED", { reason: "disputed", now });
    await tx.ticket.updateMany({ where: { orderId: order.id }, data: { status: "CANCELLED" } });
    return "cancelled";
  });
}

const isUuid = (value: string | undefined): value is string => value !== undefined && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
