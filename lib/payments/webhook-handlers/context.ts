import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { releaseUnpaidOrder, type CheckoutFacts } from "../settle";
import type { CheckoutSessionRead, EventRead } from "../stripe-reads";

export type WebhookContext = { db: Db; stripe: Stripe; now: Date; log: (message: string, details?: object) => void };

export type WebhookHandler = (event: EventRead, context: WebhookContext) => Promise<string>;

export function checkoutFacts(session: CheckoutSessionRead): CheckoutFacts {
  return {
    orderId: session.client_reference_id ?? session.metadata?.orderId ?? null,
    sessionId: session.id,
    paymentIntentId:
      typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null),
    amountTotal: session.amount_total,
    currency: session.currency,
  };
}

/**
 * A checkout session that ends unpaid (expired, or the bank said no after checkout): its order leaves
 * PENDING with `toStatus` and `reason`, and its held seat goes back on sale.
 */
export function releasingHandler(toStatus: "EXPIRED" | "CANCELLED", reason: string): WebhookHandler {
  return async (event, { db, now, log }) => {
    const facts = checkoutFacts(event.data.object as CheckoutSessionRead);
    const outcome = await releaseUnpaidOrder(db, { id: event.id, type: event.type }, facts, { toStatus, reason, now });
    if (outcome === "unknown_order") log("stripe webhook: unknown_order", { eventId: event.id, ...facts });
    return outcome;
  };
}
