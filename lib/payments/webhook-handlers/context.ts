import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import type { CheckoutFacts } from "../settle";
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
