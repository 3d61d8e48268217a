import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a place in the queue stays valid: the wait, then filling the form. */
export const QUEUE_TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000;

export type QueueTicket = { editionId: string; ordinal: number; issuedAt: Date };

export type TicketCheck =
  { ok: true; ordinal: number; issuedAt: Date } | { ok: false; reason: "forged" | "expired" | "other_edition" };

const mac = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest();

/**
 * A place in an edition's queue, signed rather than stored: any instance holding the same key verifies it,
 * and a poll writes nothing. `base64url(edition.ordinal.issuedAt)` then the HMAC-SHA256 of that text.
 */
export function signQueueTicket(key: string, { editionId, ordinal, issuedAt }: QueueTicket): string {
  const payload = Buffer.from(`${editionId}.${ordinal}.${issuedAt.getTime()}`).toString("base64url");
  return `${payload}.${mac(key, payload).toString("base64url")}`;
}

/** The ordinal a ticket carries, if this key signed it for this edition and it is not past its lifetime. */
export function verifyQueueTicket(key: string, token: string, editionId: string, now: Date): TicketCheck {
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length > 0) return { ok: false, reason: "forged" };
  const expected = mac(key, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  const [edition, ordinal, issued] = Buffer.from(payload, "base64url").toString().split(".");
  if (edition !== editionId) return { ok: false, reason: "other_edition" };
  const issuedAt = new Date(Number(issued));
  const age = now.getTime() - issuedAt.getTime();
  if (!(age < QUEUE_TICKET_LIFETIME_MS)) return { ok: false, reason: "expired" };
  return { ok: true, ordinal: Number(ordinal), issuedAt };
}
