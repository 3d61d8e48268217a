import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { settleDueRefunds } from "./refunds";
import { stripe } from "./stripe";

const EVERY_MS = 30_000;

/**
 * Every instance sends again, every 30 s, the refunds Stripe has not accepted yet once their
 * backoff has passed; the claim in sendRefund keeps instances from sending the same one.
 */
export function startRefundSweep() {
  if (!env().STRIPE_SECRET_KEY) return;
  const timer = setInterval(() => {
    settleDueRefunds(db(), stripe()).catch((error) => console.error("refund sweep failed", error));
  }, EVERY_MS);
  timer.unref();
}
