import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { stripe, stripeSettings } from "@/lib/payments/stripe";
import { handleStripeWebhook } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  // The signature covers the exact bytes Stripe sent: read the raw body, never re-serialised JSON.
  const rawBody = await request.text();
  try {
    const { status, body } = await handleStripeWebhook(rawBody, request.headers.get("stripe-signature"), stripeSettings().webhookSecret, {
      db: db(),
      stripe: stripe(),
      now: new Date(),
      log: (message, details) => console.warn(message, details ?? ""),
    });
    return NextResponse.json(body, { status });
  } catch (error) {
    // Stripe retries a failed delivery; nothing was recorded for this event.
    console.error("stripe webhook failed", error);
    return NextResponse.json({ error: "internal" }, { status: 500 });
  }
}
