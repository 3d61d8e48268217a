import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { expireCheckoutSession } from "./checkout";
import { holdClock, releaseLapsedHolds } from "@/lib/capacity/seats";
import { log } from "@/lib/log/logger";

/**
 * Releases holds that have run out, edition by edition: their orders become EXPIRED and their seats
 * go back to the counters, then their checkout sessions are closed so they can no longer be paid.
 * Seat counts do not wait for this (readers leave lapsed holds out, and a claim that finds the edition
 * full releases them itself); it keeps the counters and Stripe in step. One short transaction per
 * edition, SKIP LOCKED inside: every app instance may run it without waiting on another or on a claim.
 */
export async function expireLapsedHolds(db: Db, stripe: Stripe | null, now?: Date, batch = 100): Promise<number> {
  const editions = await db.$queryRaw<{ editionId: string }[]>`
    SELECT DISTINCT "editionId" FROM "Order"
    WHERE status = 'PENDING' AND "holdExpiresAt" <= ${holdClock(now)}`;
  let released = 0;
  for (const { editionId } of editions) {
    const expired = await releaseLapsedHolds(db, editionId, { now, max: batch });
    released += expired.length;
    if (!stripe) continue;
    for (const order of expired) {
      if (order.paymentReference)
        await expireCheckoutSession(stripe, order.paymentReference).catch((error) =>
          log.warn({ err: error, orderId: order.orderId }, "stripe: could not expire session"),
        );
    }
  }
  return released;
}
