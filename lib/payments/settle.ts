import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { claimSeats, refusedForWantOfRoom, type SeatRefusal } from "@/lib/capacity/seats";
import { lockOrder, transitionOrder, type LockedOrder } from "@/lib/orders/transitions";
import { invoicePaidOrder } from "./invoicing";
import { decideFullRefund } from "./refunds";
import { log } from "@/lib/log/logger";

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

/** Ids that come back from Stripe (metadata, references) are checked before they reach a uuid column. */
export function isUuid(value: string | null | undefined): value is string {
  return typeof value === "string" && UUID.test(value);
}

export function knownOrderId(facts: CheckoutFacts): string | null {
  return isUuid(facts.orderId) ? facts.orderId : null;
}

/**
 * Records a Stripe event as handled, in the transaction of its effect. Returns false when it was
 * already recorded: a concurrent delivery of the same event waits here for the first to commit,
 * then finds the row and does nothing.
 */
export async function recordStripeEvent(
  tx: Prisma.TransactionClient,
  event: StripeEventRef,
  orderId: string | null,
): Promise<boolean> {
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
  | "already_settled"
  | "duplicate_event"
  | OrphanReason;

/** Why a payment cannot be kept: it is refunded in full (see OrphanPayment). */
export type OrphanReason = "unknown_order" | "amount_mismatch" | "second_payment";

class NoSeatForPayment extends Error {
  constructor(readonly refusal: SeatRefusal) {
    super(refusal.reason);
  }
}

/**
 * A payment succeeded: confirm the order, exactly once. A held order keeps the seats it holds, on
 * time or late, as long as its hold has not been released: a claim that needed them would have
 * released it first. One released (EXPIRED) gets its seats again only if they are free (the seat
 * triggers decide, under the edition's counter row); otherwise the order is refunded in full. A
 * payment that belongs to no order, does not match it, or pays an order already paid through another
 * session is recorded as an orphan payment, to be refunded. Nothing is oversold, and no payment is silently kept.
 *
 * A late payment gets its seat even if the organiser has closed the edition since: the attendee
 * registered while it was open and only the payment came late; capacity still holds.
 */
export async function confirmPaidOrder(
  db: Db,
  event: StripeEventRef,
  facts: CheckoutFacts,
  now: Date,
): Promise<PaymentOutcome> {
  const orderId = knownOrderId(facts);
  const paymentData = { paymentReference: facts.sessionId, paymentIntentId: facts.paymentIntentId };
  try {
    return await db.$transaction(async (tx): Promise<PaymentOutcome> => {
      if (!(await recordStripeEvent(tx, event, orderId))) return "duplicate_event";
      const order = orderId ? await lockOrder(tx, orderId) : null;
      const orphan = orphanReason(order, facts);
      if (orphan) return recordOrphanPayment(tx, event, facts, order?.id ?? null, orphan);
      const handled = handledBefore(order!, facts);
      if (handled) return handled;

      const onTime = order!.status === "PENDING" && order!.holdLive;
      const data = { ...paymentData, holdExpiresAt: null };
      // An order whose hold was released gets its seats back through the seat triggers, within capacity,
      // all or none (SOLD_OUT_STATE), and its codes' uses likewise (GS006): every seat, or a refund. A hold not yet
      // released still has them.
      await transitionOrder(tx, order!, "CONFIRMED", { now, reason: onTime ? undefined : "late_payment", data });
      const claim = await claimSeats(tx, { editionId: order!.editionId, orderId: order!.id, evenIfClosed: true });
      if (!claim.ok) throw new NoSeatForPayment(claim);
      // Last, as the invoice series is held until the commit: an organisation's order gets its invoice.
      await invoicePaidOrder(tx, order!.id, now);
      return onTime ? "confirmed" : "confirmed_late";
    });
  } catch (error) {
    if (!(error instanceof NoSeatForPayment) && !refusedForWantOfRoom(error)) throw error;
  }
  // The first transaction rolled back, event record included: decide the refund in a new one.
  return db.$transaction(async (tx): Promise<PaymentOutcome> => {
    if (!(await recordStripeEvent(tx, event, orderId))) return "duplicate_event";
    const order = await lockOrder(tx, orderId!);
    const orphan = orphanReason(order, facts);
    if (orphan) return recordOrphanPayment(tx, event, facts, order?.id ?? null, orphan);
    const handled = handledBefore(order!, facts);
    if (handled) return handled;
    await decideFullRefund(tx, order!, { reason: "late_payment_no_seat", now, paymentIntentId: facts.paymentIntentId });
    await tx.order.update({ where: { id: order!.id }, data: { paymentReference: facts.sessionId } });
    return "refund_due";
  });
}

function handledBefore(order: LockedOrder, facts: CheckoutFacts): PaymentOutcome | null {
  if (order.status === "CONFIRMED") return "already_confirmed";
  if (order.status === "REFUNDED") return "already_refunded";
  // This very payment was applied before and the order has moved on since (cancelled by an
  // organiser, disputed): another event for it must not bring the ticket back.
  if (facts.paymentIntentId && order.paymentIntentId === facts.paymentIntentId) return "already_settled";
  return null;
}

function orphanReason(order: LockedOrder | null, facts: CheckoutFacts): OrphanReason | null {
  if (!order) return "unknown_order";
  const sameCurrency = order.currency.toLowerCase() === facts.currency?.toLowerCase();
  if (order.amountCents !== facts.amountTotal || !sameCurrency) return "amount_mismatch";
  // Paid already, through another session (a second tab, an old attempt, a session someone else made).
  const paid = order.status === "CONFIRMED" || order.status === "REFUNDED";
  if (paid && order.paymentReference !== facts.sessionId) return "second_payment";
  return null;
}

/** The decision to refund a payment we cannot keep, stored with the event that brought it. */
async function recordOrphanPayment(
  tx: Prisma.TransactionClient,
  event: StripeEventRef,
  facts: CheckoutFacts,
  orderId: string | null,
  reason: OrphanReason,
): Promise<OrphanReason> {
  log.error({ alert: true, reason, eventId: event.id, ...facts }, "stripe payment cannot be kept: refunding it");
  if (!facts.paymentIntentId || facts.amountTotal === null) return reason;
  // Both the completion and the asynchronous success of one session name it: one refund.
  await tx.$executeRaw`
    INSERT INTO "OrphanPayment"
      (id, "stripeEventId", "sessionId", "paymentIntentId", "orderId", reason, "amountCents", currency)
    VALUES (gen_random_uuid(), ${event.id}, ${facts.sessionId}, ${facts.paymentIntentId}, ${orderId}::uuid, ${reason},
            ${facts.amountTotal}, ${(facts.currency ?? "").toUpperCase()})
    ON CONFLICT DO NOTHING`;
  return reason;
}

export type ReleaseOutcome = "released" | "not_pending" | "awaiting_transfer" | "duplicate_event" | "unknown_order";

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
    if (order.status !== "PENDING" || (order.paymentReference && order.paymentReference !== facts.sessionId))
      return "not_pending";
    // Its payer tried a card instead of the transfer and gave up: the order still awaits the transfer, and a new
    // session may be opened for it.
    if (order.paymentMethod === "TRANSFER") {
      // A new attempt number too: the ended session's idempotency key would bring the ended session back.
      await tx.order.update({ where: { id: order.id }, data: { paymentReference: null, checkoutExpiresAt: null } });
      return "awaiting_transfer";
    }
    await transitionOrder(tx, order, toStatus, { reason, now });
    return "released";
  });
}
