import type { Db } from "@/lib/db/prisma";
import { consumeRateLimit, rateLimitReached } from "@/lib/rate-limit/consume";
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
 * guess in the middle of a run teaches nothing.
 */
export async function signInWithPassword(
  db: Db,
  { email, password, clientKey }: { email: string; password: string; clientKey: string },
  now = new Date(),
): Promise<PasswordSignIn> {
  const addressKey = `sign-in:email:${email.trim().toLowerCase()}`;
  const clientLimitKey = `sign-in:client:${clientKey}`;
  const window = { windowSeconds: WINDOW_SECONDS, now };
  if (
    (await rateLimitReached(db, addressKey, { limit: FAILED_SIGN_INS_PER_ADDRESS, ...window })) ||
    (await rateLimitReached(db, clientLimitKey, { limit: FAILED_SIGN_INS_PER_CLIENT, ...window }))
  ) {
    return { ok: false, reason: "rate_limited" };
  }
  const user = await findActiveUser(db, email);
  const passwordMatches = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyNobodysPassword(password);
  if (user && passwordMatches) {
    const { passwordHash: _hash, ...signedIn } = user;
    return { ok: true, user: signedIn };
  }
  await consumeRateLimit(db, addressKey, { limit: FAILED_SIGN_INS_PER_ADDRESS, ...window });
  await consumeRateLimit(db, clientLimitKey, { limit: FAILED_SIGN_INS_PER_CLIENT, ...window });
  return { ok: false, reason: "invalid" };
}
