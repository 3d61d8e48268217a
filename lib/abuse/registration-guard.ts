import { createHash, createHmac } from "node:crypto";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db/prisma";
import type { LimitToSpend, RegistrationGuard } from "@/lib/orders/register";
import { clientRateLimit } from "@/lib/rate-limit/consume";
import { checkChallenge } from "./challenge";

export type RegistrationDefences = {
  /** The key that signs proof-of-work challenges; null turns the challenge off (tests, benchmarks). */
  challengeKey: string | null;
  registrationsPerClientPerHour: number;
  unpaidHoldsPerClient: number;
  /** Keys the pseudonym of a client kept on its unpaid orders (AUTH_SECRET); null: a plain hash (tests). */
  holderKey: string | null;
};

export type PublicCaller = {
  /** The caller's network address (lib/http/client-key.ts), null when it cannot be told. */
  clientKey: string | null;
  /** The solved challenge the form or the API sent (the widget's payload), if any. */
  challenge: unknown;
  /** An `Authorization` header: an organiser's API token stands in for the challenge and the limits. */
  authorization?: string | null;
};

/**
 * The defences of public registration (form and API) against one client taking the seats:
 * a solved proof-of-work challenge per registration, a number of registrations per client and
 * hour, and a cap on the unpaid seats a client holds at once in an edition. Limits are per network
 * address, never per email domain (colleagues share one). An organiser's integration with an API
 * token is trusted instead.
 */
export function guardRegistration(db: Db, caller: PublicCaller, defences: RegistrationDefences): RegistrationGuard {
  return {
    async admit(edition, now) {
      if (caller.authorization && (await authenticateApiToken(db, caller.authorization, edition.id, now)).ok) {
        return { ok: true, holder: null, limits: [] };
      }
      // What the caller spends (the challenge, one more registration of the hour) is counted where the order
      // is placed, in the same call.
      const limits: LimitToSpend[] = [];
      if (defences.challengeKey !== null) {
        const check = await checkChallenge(defences.challengeKey, caller.challenge, now);
        if (!check.ok) return { ok: false, reason: "challenge_failed" };
        limits.push({ ...check.spend, refusal: "challenge_failed" });
      }
      const perHour = { limit: defences.registrationsPerClientPerHour, windowSeconds: 3600 };
      const perClient = clientRateLimit("registration", caller.clientKey, perHour);
      if (perClient) limits.push({ ...perClient, refusal: "rate_limited" });
      const holder =
        caller.clientKey === null
          ? null
          : {
              clientKey: pseudonymOf(caller.clientKey, defences.holderKey),
              maxUnpaidHolds: defences.unpaidHoldsPerClient,
            };
      return { ok: true, holder, limits };
    },
  };
}

// Orders keep who held them only as a keyed hash: enough to count a client's holds, not to list
// addresses (an unkeyed hash of an IPv4 address is reversed by trying them all).
function pseudonymOf(clientKey: string, key: string | null): string {
  const hash = key === null ? createHash("sha256") : createHmac("sha256", key);
  return hash.update(`guichet-holder:${clientKey}`).digest("hex");
}
