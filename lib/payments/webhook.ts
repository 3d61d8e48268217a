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

export type WebhookOutcome =
  | { ok: false; reason: "invalid_signature"; outcome?: never }
  | { ok: true; ignored: Stripe.Event.Type; outcome?: never }
  | { ok: true; outcome: Awaited<ReturnType<WebhookHandler>> };

/**
 * Verifies a webhook delivery's signature over the raw body, then applies the event once.
 * A bad or stale signature changes nothing; duplicates and events for unknown orders are handled
 * (logged) like any other; an unexpected failure propagates, so the route answers 500 and Stripe
 * retries.
 */
export async function handleStripeWebhook(
  rawBody: string,
  signature: string | null,
  webhookSecret: string,
  context: WebhookContext,
): Promise<WebhookOutcome> {
  let event: Stripe.Event;
  try {
    event = context.stripe.webhooks.constructEvent(rawBody, signature ?? "", webhookSecret);
  } catch (error) {
    if (isStripeError(error, "StripeSignatureVerificationError")) return { ok: false, reason: "invalid_signature" };
    throw error;
  }
  const handler = HANDLERS[event.type];
  if (!handler) return { ok: true, ignored: event.type };
  return { ok: true, outcome: await handler(event, context) };
}
