import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { enqueueRefundEmail } from "@/lib/email/outbox";
import type { Prisma } from "@/lib/generated/prisma/client";
import { lockOrder, transitionOrder, type LockedOrder } from "@/lib/orders/transitions";

/**
 * Decides a full refund inside the caller's transaction: the order becomes REFUNDED, its tickets
 * free their seats at once, and a PENDING refund row is written. Money moves afterwards, in
 * settlePendingRefunds, so a Stripe outage never leaves a decision half made.
 */
export async function decideFullRefund(
  tx: Prisma.TransactionClient,
  order: LockedOrder,
  { reason, now, paymentIntentId }: { reason: string; now: Date; paymentIntentId?: string | null },
): Promise<void> {
  await transitionOrder(tx, order, "REFUNDED", { reason, now, data: paymentIntentId ? { paymentIntentId } : undefined });
  await tx.ticket.updateMany({ where: { orderId: order.id }, data: { status: "CANCELLED" } });
  await tx.refund.create({ data: { orderId: order.id, amountCents: order.amountCents, currency: order.currency, reason, createdAt: now } });
  await enqueueRefundEmail(tx, order, reason);
}

export type RefundOutcome = "refunded" | "already_refunded" | "not_refundable" | "unknown_order";

/**
 * Refunds a paid order in full and releases its seats. Calling it again, or concurrently, refunds
 * nothing more: the order row lock and the one refund row per order see to it.
 */
export async function refundOrder(
  db: Db,
  stripe: Stripe,
  orderId: string,
  { reason, now = new Date(), alsoInTransaction }: { reason: string; now?: Date; alsoInTransaction?: (tx: Prisma.TransactionClient) => Promise<void> },
): Promise<RefundOutcome> {
  const outcome = await db.$transaction(async (tx): Promise<RefundOutcome> => {
    const order = await lockOrder(tx, orderId);
    if (!order) return "unknown_order";
    if (order.status === "REFUNDED") return "already_refunded";
    if (order.status !== "CONFIRMED" || !order.paymentIntentId || order.amountCents === 0) return "not_refundable";
    await decideFullRefund(tx, order, { reason, now });
    await alsoInTransaction?.(tx);
    return "refunded";
  });
  if (outcome === "refunded" || outcome === "already_refunded") await settlePendingRefunds(db, stripe, orderId);
  return outcome;
}

/**
 * Sends the decided but unsent refunds of an order to Stripe. The refund row's id is the
 * idempotency key: a retry after a timeout or a crash returns Stripe's first refund, never a second.
 */
export async function settlePendingRefunds(db: Db, stripe: Stripe, orderId: string): Promise<void> {
  const pending = await db.refund.findMany({ where: { orderId, status: "PENDING" }, include: { order: { select: { paymentIntentId: true } } } });
  for (const refund of pending) {
    if (!refund.order.paymentIntentId) throw new Error(`refund ${refund.id}: order ${orderId} has no payment intent`);
    const stripeRefund = await stripe.refunds.create(
      { payment_intent: refund.order.paymentIntentId, amount: refund.amountCents, metadata: { orderId, refundId: refund.id, reason: refund.reason } },
      { idempotencyKey: `refund-${refund.id}` },
    );
    await db.refund.update({ where: { id: refund.id }, data: { status: "SUCCEEDED", stripeRefundId: stripeRefund.id, settledAt: new Date() } });
  }
}
