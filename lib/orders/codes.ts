import { randomBytes, randomInt } from "node:crypto";

// Crockford's base32 without I, L, O, U: nothing to misread when a reference is spoken or typed.
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A short human order reference such as "GX7K-3M9Q" (40 bits: collisions are caught by a unique index). */
export function newOrderReference(): string {
  const chars = Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

/** 192 random bits for the attendee's private links. */
export function newAccessToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Whether a string could be one of our access tokens, so garbage never reaches a query. */
export function looksLikeAccessToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{20,64}$/.test(value);
}
