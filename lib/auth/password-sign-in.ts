import type { Db } from "@/lib/db/prisma";
import { consumeRateLimit, refundRateLimit } from "@/lib/rate-limit/consume";
import { verifyNobodysPassword, verifyPassword } from "./passwords";
import { findActiveUser, type BackOfficeUser } from "./users";

export type PasswordSignIn = { ok: true; user: BackOfficeUser } | { ok: false; reason: "invalid" | "rate_limited" };

// Failed attempts, counted in Postgres so the limit holds across instances.
const WINDOW_SECONDS = 15 * 60;
export const FAILED_SIGN_INS_PER_ADDRESS = 5;
export const FAILED_SIGN_INS_PER_CLIENT = 30;

/**
 * Checks an address and password. After too many failures for the address or from the client,
 * every attempt is refused without looking at the password until the window passes, so a correct
 * guess in the middle of a run teaches nothing. Each attempt is counted before the password is
 * verified, in one statement per counter, so a burst of parallel guesses gets no more verifications
 * than the limit; a successful attempt is given back. A client whose address is unknown (null)
 * is only limited per account: one shared bucket would let anyone lock every account out.
 */
export async function signInWithPassword(
  db: Db,
  { email, password, clientKey }: { email: string; password: string; clientKey: string | null },
  now = new Date(),
): Promise<PasswordSignIn> {
  const counters = [
    { key: `sign-in:email:${email.trim().toLowerCase()}`, limit: FAILED_SIGN_INS_PER_ADDRESS },
    ...(clientKey === null ? [] : [{ key: `sign-in:client:${clientKey}`, limit: FAILED_SIGN_INS_PER_CLIENT }]),
  ];
  let withinLimits = true;
  for (const { key, limit } of counters) {
    withinLimits = (await consumeRateLimit(db, key, { limit, windowSeconds: WINDOW_SECONDS, now })) && withinLimits;
  }
  if (!withinLimits) return { ok: false, reason: "rate_limited" };
  const user = await findActiveUser(db, email);
  const passwordMatches = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : await verifyNobodysPassword(password);
  if (user && passwordMatches) {
    for (const { key } of counters) await refundRateLimit(db, key);
    const { passwordHash: _hash, ...signedIn } = user;
    return { ok: true, user: signedIn };
  }
  return { ok: false, reason: "invalid" };
}
