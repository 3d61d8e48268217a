import { sendRefund, settlePendingRefunds } from "../refunds";
import { confirmPaidOrder, knownOrderId, type CheckoutFacts } from "../settle";
import type { CheckoutSessionRead, EventRead } from "../stripe-reads";
import { checkoutFacts, type WebhookContext } from "./context";

/**
 * checkout.session.completed with the money in, and checkout.session.async_payment_succeeded:
 * confirm the order, or refund a late payment that found no seat, or a payment we cannot keep.
 */
export async function handleCheckoutSessionPaid(
  event: EventRead,
  { db, stripe, now, log }: WebhookContext,
): Promise<string> {
  const session = event.data.object as CheckoutSessionRead;
  // A completed session whose asynchronous payment is still processing: wait for its outcome event.
  if (event.type === "checkout.session.completed" && session.payment_status !== "paid") return "awaiting_async_payment";
  const facts = checkoutFacts(session);
  const outcome = await confirmPaidOrder(db, { id: event.id, type: event.type }, facts, now);
  if (outcome === "unknown_order" || outcome === "amount_mismatch" || outcome === "second_payment") {
    log(`stripe webhook: ${outcome}`, { eventId: event.id, ...facts });
  }
  // Whatever the outcome, a redelivery of an event already recorded included: money owed back for
  // this payment goes out now. A Stripe failure leaves it to the refund sweep.
  await settlePaymentRefunds(db, stripe, facts);
  return outcome;
}

async function settlePaymentRefunds(db: WebhookContext["db"], stripe: WebhookContext["stripe"], facts: CheckoutFacts) {
  const orderId = knownOrderId(facts);
  if (orderId) await settlePendingRefunds(db, stripe, orderId);
  const orphan = await db.orphanPayment.findUnique({ where: { sessionId: facts.sessionId }, select: { id: true } });
  if (orphan) await sendRefund(db, stripe, "orphan", orphan.id, { due: "now" });
}
