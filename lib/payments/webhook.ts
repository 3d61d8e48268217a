import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { scrubLogLine } from "@/lib/log/scrub";
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
  try {
    return { ok: true, outcome: await handler(event, context) };
  } catch (error) {
    // Stripe retries for days: the back office shows the event meanwhile. Not recording it must not hide the failure.
    await recordWebhookFailure(context.db, event, error, context.now).catch(() => {});
    throw error;
  }
}

/** How a delivery ended, for the webhook's duration histogram (lib/metrics: the `outcome` label). */
export function webhookMetricOutcome(delivery: WebhookOutcome): "handled" | "duplicate" | "ignored" | "bad_signature" {
  if (!delivery.ok) return "bad_signature";
  if ("ignored" in delivery) return "ignored";
  return delivery.outcome === "duplicate_event" ? "duplicate" : "handled";
}

const LAST_ERROR_CHARACTERS = 500;

/**
 * Keeps an event the route answers 500 to (StripeEventFailure): its id, type, attempts and the error, scrubbed as a
 * log line is (a failed statement's message may quote the buyer's address), cut to the column's length.
 */
async function recordWebhookFailure(db: Db, event: { id: string; type: string }, error: unknown, now: Date) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const lastError = scrubLogLine(text).slice(0, LAST_ERROR_CHARACTERS);
  await db.$executeRaw`
    INSERT INTO "StripeEventFailure" ("eventId", type, "lastError", "firstFailedAt", "lastFailedAt")
    VALUES (${event.id}, ${event.type.slice(0, 100)}, ${lastError}, ${now}, ${now})
    ON CONFLICT ("eventId") DO UPDATE
      SET attempts = "StripeEventFailure".attempts + 1, "lastError" = EXCLUDED."lastError",
          "lastFailedAt" = EXCLUDED."lastFailedAt"`;
}
