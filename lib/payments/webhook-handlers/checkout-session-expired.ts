import { releaseUnpaidOrder } from "../settle";
import type { CheckoutSessionRead, EventRead } from "../stripe-reads";
import { checkoutFacts, type WebhookContext } from "./context";

/** checkout.session.expired: the attendee never paid; the held seat goes back on sale. */
export async function handleCheckoutSessionExpired(
  event: EventRead,
  { db, now, log }: WebhookContext,
): Promise<string> {
  const facts = checkoutFacts(event.data.object as CheckoutSessionRead);
  const outcome = await releaseUnpaidOrder(db, { id: event.id, type: event.type }, facts, {
    toStatus: "EXPIRED",
    reason: "checkout_expired",
    now,
  });
  if (outcome === "unknown_order") log("stripe webhook: unknown_order", { eventId: event.id, ...facts });
  return outcome;
}
