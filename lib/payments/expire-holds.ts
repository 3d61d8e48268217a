import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { expireCheckoutSession } from "./checkout";
import { holdClock } from "@/lib/capacity/seats";
import { transitionOrder } from "@/lib/orders/transitions";

/**
 * Tidies holds that have run out: marks their orders EXPIRED and closes their checkout sessions
 * so they can no longer be paid. Seat counts do not wait for this (an expired hold stops counting
 * the moment it expires); it keeps the data honest and Stripe in step. SKIP LOCKED lets every app
 * instance run it without two of them taking the same order.
 */
export async function expireLapsedHolds(db: Db, stripe: Stripe | null, now?: Date, batch = 100): Promise<number> {
  const expired = await db.$transaction(async (tx) => {
    const lapsed = await tx.$queryRaw<{ id: string; paymentReference: string | null }[]>`
      SELECT id, "paymentReference" FROM "Order"
      WHERE status = 'PENDING' AND "holdExpiresAt" <= ${holdClock(now)}
      ORDER BY "holdExpiresAt" LIMIT ${batch} FOR UPDATE SKIP LOCKED`;
    for (const order of lapsed) {
      const at = now ?? new Date();
      await transitionOrder(tx, { id: order.id, status: "PENDING" }, "EXPIRED", { reason: "hold_expired", now: at });
    }
    return lapsed;
  });
  if (stripe) {
    for (const order of expired) {
      if (order.paymentReference)
        await expireCheckoutSession(stripe, order.paymentReference).catch((error) =>
          console.error("stripe: could not expire session", error),
        );
    }
  }
  return expired.length;
}
