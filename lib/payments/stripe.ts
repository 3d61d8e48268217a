import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";

/** Pinned so a Stripe account's default version can never change the shapes we read. */
export const STRIPE_API_VERSION = "2026-10-28.endive";

export type StripeSettings = { secretKey: string; webhookSecret: string; apiUrl?: string };

export class PaymentsNotConfigured extends Error {
  constructor() {
    super(
      "Stripe is not configured: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (npm start sets local test values).",
    );
  }
}

export function createStripeClient({ secretKey, apiUrl }: Pick<StripeSettings, "secretKey" | "apiUrl">): Stripe {
  const local = apiUrl ? new URL(apiUrl) : undefined;
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION as Stripe.LatestApiVersion,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Guichet" },
    ...(local && {
      host: local.hostname,
      port: Number(local.port || 80),
      protocol: local.protocol.replace(":", "") as "http" | "https",
    }),
  });
}

export function stripeSettings(): StripeSettings {
  const { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_URL } = env();
  if (!STRIPE_SECRET_KEY || !STRIPE_WEBHOOK_SECRET) throw new PaymentsNotConfigured();
  return { secretKey: STRIPE_SECRET_KEY, webhookSecret: STRIPE_WEBHOOK_SECRET, apiUrl: STRIPE_API_URL };
}

const globalForStripe = globalThis as unknown as { guichetStripe?: Stripe };

export function stripe(): Stripe {
  globalForStripe.guichetStripe ??= createStripeClient(stripeSettings());
  return globalForStripe.guichetStripe;
}

/** Test-mode keys (and the local stand-in) mean no real money moves: pages say so. */
export function paymentsInTestMode(): boolean {
  const key = env().STRIPE_SECRET_KEY;
  return !key || key.includes("_test_");
}
