import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import type { RateLimit } from "@/lib/rate-limit/consume";

// PBKDF2 rounds per try and how many tries the answer takes: 4 to 20 million SHA-256 rounds per
// registration. Node solves one in 1 to 4 s on one core here; the widget spreads it over workers.
const ALGORITHM = "PBKDF2/SHA-256";
const COST = 2_000;
const MIN_TRIES = 2_000;
const MAX_TRIES = 10_000;
export const CHALLENGE_SECONDS = 10 * 60;

/** A new proof-of-work challenge, signed with `hmacKey` so the server keeps nothing until it is solved. */
export function issueChallenge(hmacKey: string, now = new Date()): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: COST,
    counter: randomInt(MAX_TRIES, MIN_TRIES),
    deriveKey,
    hmacSignatureSecret: hmacKey,
    expiresAt: new Date(now.getTime() + CHALLENGE_SECONDS * 1000),
  });
}

export type ChallengeCheck = { ok: true; spend: RateLimit } | { ok: false; reason: "missing" | "invalid" | "expired" };

/**
 * Checks a solved challenge (the widget's base64 payload: the challenge and its solution). A solution opens one
 * registration: what it answers, when valid, is the limit that spends it (its signature as a rate-limit key of
 * limit 1 for the challenge's lifetime, after which it is refused as expired), to be counted with the
 * registration's other limits where the order is placed. A second use goes over that limit.
 */
export async function checkChallenge(hmacKey: string, payload: unknown, now = new Date()): Promise<ChallengeCheck> {
  if (typeof payload !== "string" || payload === "") return { ok: false, reason: "missing" };
  const parsed = parsePayload(payload);
  if (!parsed) return { ok: false, reason: "invalid" };
  const { challenge, solution } = parsed;
  // Only our own challenges carry an expiry, and it is covered by the signature.
  const expiresAt = challenge.parameters.expiresAt;
  if (typeof expiresAt !== "number") return { ok: false, reason: "invalid" };
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  const result = await verifySolution({ challenge, solution, deriveKey, hmacSignatureSecret: hmacKey }).catch(
    () => null,
  );
  if (!result?.verified) return { ok: false, reason: result?.expired ? "expired" : "invalid" };
  return { ok: true, spend: { key: `altcha:${challenge.signature}`, limit: 1, windowSeconds: CHALLENGE_SECONDS } };
}

function parsePayload(payload: string): { challenge: Challenge & { signature: string }; solution: Solution } | null {
  if (payload.length > 4096) return null;
  try {
    const decoded = JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as {
      challenge?: Challenge;
      solution?: Solution;
    } | null;
    const challenge = decoded?.challenge;
    const solution = decoded?.solution;
    const wellFormed =
      typeof challenge?.signature === "string" &&
      /^[0-9a-f]{64,128}$/.test(challenge.signature) &&
      typeof challenge.parameters === "object" &&
      challenge.parameters !== null &&
      typeof solution?.counter === "number" &&
      typeof solution.derivedKey === "string";
    return wellFormed
      ? { challenge: challenge as Challenge & { signature: string }, solution: solution as Solution }
      : null;
  } catch {
    return null;
  }
}
