import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { edgeRoute, readBodyText } from "@/lib/http/edge";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/metrics/registry";
import { stripe, stripeSettings } from "@/lib/payments/stripe";
import { handleStripeWebhook, webhookMetricOutcome } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

// Stripe's events are a few kilobytes; its documented ceiling for a payload is far below this.
const MAX_EVENT_BYTES = 1024 * 1024;

// Stripe reads only the status: 400 (bad signature, nothing changed), 200 (handled, duplicates and
// unknown orders included), or 500 through the edge (Stripe retries; nothing was recorded but the failure).
export const POST = edgeRoute(async (request) => {
  // The signature covers the exact bytes Stripe sent: read the raw body, never re-serialised JSON.
  const rawBody = await readBodyText(request, MAX_EVENT_BYTES);
  const signature = request.headers.get("stripe-signature");
  const timer = metrics().webhookDuration.startTimer();
  const delivery = await handleStripeWebhook(rawBody, signature, stripeSettings().webhookSecret, {
    db: db(),
    stripe: stripe(),
    now: new Date(),
    log: (message, details) => log.warn(details ?? {}, message),
  }).catch((error: unknown) => {
    timer({ outcome: "failed" });
    throw error;
  });
  timer({ outcome: webhookMetricOutcome(delivery) });
  if (!delivery.ok) return NextResponse.json({ error: delivery.reason }, { status: 400 });
  const answer = "ignored" in delivery ? { ignored: delivery.ignored } : { outcome: delivery.outcome };
  return NextResponse.json({ received: true, ...answer });
});
