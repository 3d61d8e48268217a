import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { claimSeat } from "@/lib/capacity/seats";
import { lockOrder, transitionOrder } from "@/lib/orders/transitions";
import { decideFullRefund } from "./refunds";

export type StripeEventRef = { id: string; type: string };

/** What a Checkout Session event tells us, whichever event carried it. */
export type CheckoutFacts = {
  orderId: string | null;
  sessionId: string;
  paymentIntentId: string | null;
  amountTotal: number | null;
  currency: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function knownOrderId(facts: CheckoutFacts): string | null {
  return facts.orderId && UUID.test(facts.orderId) ? facts.orderId : null;
}

/**
 * Records a Stripe event as handled, in the transaction of its effect. Returns false when it was
 * already recorded: a concurrent delivery of the same event waits here for the first to commit,
 * then finds the row and does nothing.
 */
export async function recordStripeEvent(tx: Prisma.TransactionClient, event: StripeEventRef, orderId: string | null): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "StripeEvent" (id, type, "orderId") VALUES (${event.id}, ${event.type}, ${orderId}::uuid)
    ON CONFLICT (id) DO NOTHING`;
  return inserted === 1;
}

export type PaymentOutcome =
  | "confirmed"
  | "confirmed_late"
  | "refund_due"
  | "already_confirmed"
  | "already_refunded"
  | "duplicate_event"
  | "unknown_order"
  | "amount_mismatch";

class NoSeatForLatePayment extends Error {}

/**
 * A payment succeeded: confirm the order, exactly once. On time (hold still live), the held seat
 * becomes the attendee's. Late (the hold expired or was released), the seat is claimed again
 * under the edition lock; when none is free, the order is refunded in full instead. Nothing is
 * oversold, and no paid order is silently dropped.
 */
export async function confirmPaidOrder(db: Db, event: StripeEventRef, facts: CheckoutFacts, now: Date): Promise<PaymentOutcome> {
  const orderId = knownOrderId(facts);
  const paymentData = { paymentReference: facts.sessionId, paymentIntentId: facts.paymentIntentId };
  try {
    return await db.$transaction(async (tx): Promise<PaymentOutcome> => {
      if (!(await recordStripeEvent(tx, event, orderId))) return "duplicate_event";
      const order = orderId ? await lockOrder(tx, orderId) : null;
      if (!order) return "unknown_order";
      if (order.amountCents !== facts.amountTotal || order.currency.toLowerCase() !== facts.currency?.toLowerCase()) return "amount_mismatch";
      if (order.status === "CONFIRMED") return "already_confirmed";
      if (order.status === "REFUNDED") return "already_refunded";

      const onTime = order.status === "PENDING" && order.holdExpiresAt !== null && order.holdExpiresAt > now;
      await transitionOrder(tx, order, "CONFIRMED", { now, reason: onTime ? undefined : "late_payment", data: { ...paymentData, holdExpiresAt: null } });
      if (onTime) return "confirmed";
      // Orders hold one ticket today; the claim re-counts the edition with this order now live.
      const ticket = await tx.ticket.findFirstOrThrow({ where: { orderId: order.id }, select: { ticketTypeId: true, email: true } });
      const claim = await claimSeat(tx, { editionId: order.editionId, ticketTypeId: ticket.ticketTypeId, orderId: order.id, email: ticket.email, now });
      if (claim !== "ok") throw new NoSeatForLatePayment(claim);
      return "confirmed_late";
    });
  } catch (error) {
    if (!(error instanceof NoSeatForLatePayment)) throw error;
  }
  // The first transaction rolled back, event record included: decide the refund in a new one.
  return db.$transaction(async (tx): Promise<PaymentOutcome> => {
    if (!(await recordStripeEvent(tx, event, orderId))) return "duplicate_event";
    const order = await lockOrder(tx, orderId!);
    if (!order) return "unknown_order";
    if (order.status === "CONFIRMED") return "already_confirmed";
    if (order.status === "REFUNDED") return "already_refunded";
    await decideFullRefund(tx, order, { reason: "late_payment_no_seat", now, paymentIntentId: facts.paymentIntentId });
    await tx.order.update({ where: { id: order.id }, data: { paymentReference: facts.sessionId } });
    return "refund_due";
  });
}

export type ReleaseOutcome = "released" | "not_pending" | "duplicate_event" | "unknown_order";

/** The checkout ended without payment (expired, or an asynchronous payment failed): free the seat. */
export async function releaseUnpaidOrder(
  db: Db,
  event: StripeEventRef,
  facts: CheckoutFacts,
  { toStatus, reason, now }: { toStatus: "EXPIRED" | "CANCELLED"; reason: string; now: Date },
): Promise<ReleaseOutcome> {
  const orderId = knownOrderId(facts);
  return db.$transaction(async (tx): Promise<ReleaseOutcome> => {
    if (!(await recordStripeEvent(tx, event, orderId))) return "duplicate_event";
    const order = orderId ? await lockOrder(tx, orderId) : null;
    if (!order) return "unknown_order";
    // A session that is not the order's current one says nothing about the order.
    if (order.status !== "PENDING" || (order.paymentReference && order.paymentReference !== facts.sessionId)) return "not_pending";
    await transitionOrder(tx, order, toStatus, { reason, now });
    return "released";
  });
}
