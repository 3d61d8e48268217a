import type Stripe from "stripe";
import { isStripeError } from "./stripe-errors";
import { handleCheckoutSessionAsyncPaymentFailed } from "./webhook-handlers/checkout-session-async-payment-failed";
import { handleCheckoutSessionExpired } from "./webhook-handlers/checkout-session-expired";
import { handleCheckoutSessionPaid } from "./webhook-handlers/checkout-session-paid";
import type { WebhookContext, WebhookHandler } from "./webhook-handlers/context";
import { handleChargeRefunded, handleDisputeCreated, handleRefundUpdated } from "./webhook-handlers/stripe-side";

const HANDLERS: Partial<Record<Stripe.Event.Type, WebhookHandler>> = {
  "checkout.session.completed": handleCheckoutSessionPaid,
  "checkout.session.async_payment_succeeded": handleCheckoutSessionPaid,
  "checkout.session.async_payment_failed": handleCheckoutSessionAsyncPaymentFailed,
  "checkout.session.expired": handleCheckoutSessionExpired,
  "refund.created": handleRefundUpdated,
  "refund.updated": handleRefundUpdated,
  "refund.failed": handleRefundUpdated,
  "charge.refunded": handleChargeRefunded,
  "charge.dispute.created": handleDisputeCreated,
};

export type WebhookResponse = { status: number; body: Record<string, unknown> };

/**
 * Verifies a webhook delivery's signature over the raw body, then applies the event once.
 * 400 for a bad or stale signature (nothing changes); 200 once handled, duplicates and events
 * for unknown orders included (logged); an unexpected failure propagates, the route answers 500
 * and Stripe retries.
 */
export async function handleStripeWebhook(
  rawBody: string,
  signature: string | null,
  webhookSecret: string,
  context: WebhookContext,
): Promise<WebhookResponse> {
  let event: Stripe.Event;
  try {
    event = context.stripe.webhooks.constructEvent(rawBody, signature ?? "", webhookSecret);
  } catch (error) {
    if (isStripeError(error, "StripeSignatureVerificationError")) return { status: 400, body: { error: "invalid_signature" } };
    throw error;
  }
  const handler = HANDLERS[event.type];
  if (!handler) return { status: 200, body: { received: true, ignored: event.type } };
  const outcome = await handler(event, context);
  return { status: 200, body: { received: true, outcome } };
}
