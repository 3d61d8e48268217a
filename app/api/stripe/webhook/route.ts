import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { edgeRoute, readBodyText } from "@/lib/http/edge";
import { stripe, stripeSettings } from "@/lib/payments/stripe";
import { handleStripeWebhook } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

// Stripe's events are a few kilobytes; its documented ceiling for a payload is far below this.
const MAX_EVENT_BYTES = 1024 * 1024;

// A failure answers 500 through the edge: Stripe retries, and nothing was recorded for the event.
export const POST = edgeRoute(async (request) => {
  // The signature covers the exact bytes Stripe sent: read the raw body, never re-serialised JSON.
  const rawBody = await readBodyText(request, MAX_EVENT_BYTES);
  const signature = request.headers.get("stripe-signature");
  const { status, body } = await handleStripeWebhook(rawBody, signature, stripeSettings().webhookSecret, {
    db: db(),
    stripe: stripe(),
    now: new Date(),
    log: (message, details) => console.warn(message, details ?? ""),
  });
  return NextResponse.json(body, { status });
});
