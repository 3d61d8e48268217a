import type { Db } from "@/lib/db/prisma";
import { consumeRateLimit, refundRateLimit, type RateLimit } from "@/lib/rate-limit/consume";
import { findCode, type CodeLookup } from "@/lib/vouchers/redeem";

/**
 * A code looked up for a visitor of a public page. An unknown code spends one try of `limit` (the visitor's
 * registrations of the hour), as it does on registering (lib/orders/register.ts), so the page is no way around that
 * limit to guess codes: the try is counted first and given back when the code is real, even one that prices nothing
 * today (expired, used up). Past the limit, every code answers `rate_limited`.
 */
export async function findCodeCountingGuesses(
  db: Db,
  limit: RateLimit | null,
  editionId: string,
  typed: string,
  now: Date,
): Promise<CodeLookup | { ok: false; reason: "rate_limited" }> {
  if (limit && !(await consumeRateLimit(db, limit.key, { ...limit, now })))
    return { ok: false, reason: "rate_limited" };
  const found = await findCode(db, editionId, typed, now);
  if (limit && (found.ok || found.reason !== "voucher_unknown")) await refundRateLimit(db, limit.key);
  return found;
}
