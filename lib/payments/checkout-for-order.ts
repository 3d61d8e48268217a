import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { startCheckout, type CheckoutStart } from "./checkout";
import { PaymentsNotConfigured, stripe } from "./stripe";
import { log } from "@/lib/log/logger";

/** startCheckout with the app's own database, Stripe client and public URL. */
export async function startCheckoutForOrder(orderId: string): Promise<CheckoutStart> {
  try {
    return await startCheckout(db(), stripe(), orderId, { appUrl: env().APP_URL });
  } catch (error) {
    if (!(error instanceof PaymentsNotConfigured)) throw error;
    log.error({ err: error }, "payments are not configured");
    return { ok: false, reason: "payment_unavailable" };
  }
}
