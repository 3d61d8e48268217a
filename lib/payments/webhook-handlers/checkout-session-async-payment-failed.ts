import { releaseUnpaidOrder } from "../settle";
import type { CheckoutSessionRead, EventRead } from "../stripe-reads";
import { checkoutFacts, type WebhookContext } from "./context";

/** checkout.session.async_payment_failed: the bank said no after checkout; release the seat. */
export async function handleCheckoutSessionAsyncPaymentFailed(
  event: EventRead,
  { db, now, log }: WebhookContext,
): Promise<string> {
  const facts = checkoutFacts(event.data.object as CheckoutSessionRead);
  const outcome = await releaseUnpaidOrder(db, { id: event.id, type: event.type }, facts, {
    toStatus: "CANCELLED",
    reason: "payment_failed",
    now,
  });
  if (outcome === "unknown_order") log("stripe webhook: unknown_order", { eventId: event.id, ...facts });
  return outcome;
}
