import type Stripe from "stripe";
import { settlePendingRefunds } from "../refunds";
import { confirmPaidOrder } from "../settle";
import { checkoutFacts, type WebhookContext } from "./context";

/**
 * checkout.session.completed with the money in, and checkout.session.async_payment_succeeded:
 * confirm the order, or refund a late payment that found no seat.
 */
export async function handleCheckoutSessionPaid(event: Stripe.Event, { db, stripe, now, log }: WebhookContext): Promise<string> {
  const session = event.data.object as Stripe.Checkout.Session;
  // A completed session whose asynchronous payment is still processing: wait for its outcome event.
  if (event.type === "checkout.session.completed" && session.payment_status !== "paid") return "awaiting_async_payment";
  const facts = checkoutFacts(session);
  const outcome = await confirmPaidOrder(db, { id: event.id, type: event.type }, facts, now);
  if (outcome === "unknown_order" || outcome === "amount_mismatch") log(`stripe webhook: ${outcome}`, { eventId: event.id, ...facts });
  if (outcome === "refund_due" || outcome === "already_refunded") await settlePendingRefunds(db, stripe, facts.orderId!);
  return outcome;
}
