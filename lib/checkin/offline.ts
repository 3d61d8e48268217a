// The scanner's own judgement while the network is down: the same rules as the server's, from the
// last synced snapshot and its public keys. Runs in the browser (WebCrypto Ed25519) and in Node.
import { codeStanding } from "@/lib/tickets/standing";
import type { CheckInAnswer, Counts, EditionNames, GroupProgress } from "./scan";
import type { SnapshotTicket } from "./snapshot";

export type OfflineSnapshot = {
  edition: { id: string; slug: string; nameFr: string; nameEn: string };
  /** The current key's JWK x; `publicKeys` lists it first, then the earlier keys still admitted. */
  publicKey: string;
  /** Missing from a snapshot a device kept from before key rotation. */
  publicKeys?: string[];
  tickets: SnapshotTicket[];
  counts: Counts;
  syncedAt: string;
};

export type OfflineAnswer = CheckInAnswer & { offline: true };

/**
 * The nonce of a group admission's i-th member scan, on the server and on a device that queues the
 * admission while offline: the same scan is never recorded twice, however it reaches the server.
 */
export const memberNonce = (nonce: string, index: number) => `${nonce}-${index}`;

const PREFIX = "G1";
const PAYLOAD_BYTES = 35;
const SIGNATURE_BYTES = 64;

function base64UrlBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
const uuid = (bytes: Uint8Array) => {
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** The claims of a ticket code whose Ed25519 signature verifies with the edition's public key; null otherwise. */
export async function verifyCodeOffline(
  code: string,
  publicKeyX: string,
): Promise<{ ticketId: string; editionId: string; codeVersion: number } | null> {
  const text = code.trim();
  if (!text.startsWith(PREFIX)) return null;
  const bytes = base64UrlBytes(text.slice(PREFIX.length));
  if (!bytes || bytes.length !== PAYLOAD_BYTES + SIGNATURE_BYTES || bytes[0] !== 1) return null;
  const key = await crypto.subtle.importKey(
    "jwk",
    { kty: "OKP", crv: "Ed25519", x: publicKeyX },
    { name: "Ed25519" },
    false,
    ["verify"],
  );
  const payload = bytes.slice(0, PAYLOAD_BYTES);
  if (!(await crypto.subtle.verify("Ed25519", key, bytes.slice(PAYLOAD_BYTES), payload))) return null;
  return {
    ticketId: uuid(payload.slice(1, 17)),
    editionId: uuid(payload.slice(17, 33)),
    codeVersion: (payload[33] << 8) | payload[34],
  };
}

/**
 * The ticket's group as the server would list it, from the snapshot and this device's own
 * admissions: live tickets (state valid) of the same order, in their order's positions.
 */
function groupOffline(
  snapshot: OfflineSnapshot,
  ticket: SnapshotTicket,
  admittedHere: Map<string, unknown>,
): GroupProgress | undefined {
  if (!ticket.orderId) return undefined;
  const live = snapshot.tickets
    .filter((other) => other.orderId === ticket.orderId && other.state === "valid")
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  if (live.length < 2) return undefined;
  const isIn = (other: SnapshotTicket) => Boolean(other.checkedInAt) || admittedHere.has(other.id);
  const others = live
    .filter((other) => other.id !== ticket.id)
    .map((other) => ({
      ticketId: other.id,
      position: other.position ?? 0,
      name: other.unnamed ? null : other.name,
      ticketTypeFr: other.typeFr,
      ticketTypeEn: other.typeEn,
      checkedIn: isIn(other),
    }));
  return { inside: live.filter(isIn).length, of: live.length, others };
}

/**
 * The answer for a scan (a code, or a ticket id picked by hand) from the snapshot and from the
 * tickets this device has already let in since it lost the network. A ticket for another edition
 * is named when this device holds that edition's snapshot too (`knownEditions`).
 */
export async function answerOffline(
  snapshot: OfflineSnapshot,
  scan: { code?: string; ticketId?: string },
  admittedHere: Map<string, { at: string; deviceId: string }>,
  deviceId: string,
  now = new Date(),
  knownEditions: (EditionNames & { id: string })[] = [],
): Promise<OfflineAnswer> {
  const admittedCount =
    snapshot.counts.checkedIn +
    [...admittedHere.keys()].filter((id) => !snapshot.tickets.find((ticket) => ticket.id === id)?.checkedInAt).length;
  const counts = () => ({ checkedIn: admittedCount, expected: snapshot.counts.expected });
  let ticketId = scan.ticketId;
  let version: number | undefined;
  if (scan.code) {
    let claims = null;
    for (const key of snapshot.publicKeys ?? [snapshot.publicKey]) {
      claims = await verifyCodeOffline(scan.code, key);
      if (claims) break;
    }
    if (!claims) return { result: "forged", counts: counts(), offline: true };
    if (claims.editionId !== snapshot.edition.id) {
      const other = knownEditions.find((known) => known.id === claims.editionId);
      const edition = other ? { nameFr: other.nameFr, nameEn: other.nameEn } : null;
      return { result: "wrong_edition", edition, counts: counts(), offline: true };
    }
    ticketId = claims.ticketId;
    version = claims.codeVersion;
  }
  const ticket = snapshot.tickets.find((candidate) => candidate.id === ticketId);
  if (!ticket) return { result: "unknown", counts: counts(), offline: true };
  const attendee = {
    name: ticket.name,
    company: ticket.company,
    ticketTypeFr: ticket.typeFr,
    ticketTypeEn: ticket.typeEn,
    ...(ticket.unnamed ? { unnamed: true as const } : {}),
  };
  const standing = codeStanding(ticket.state, ticket.v, version);
  if (standing !== "valid") {
    return { result: "cancelled", ticketId: ticket.id, attendee, reason: standing, counts: counts(), offline: true };
  }
  const earlier =
    admittedHere.get(ticket.id) ?? (ticket.checkedInAt ? { at: ticket.checkedInAt, deviceId: "?" } : undefined);
  if (earlier) {
    const group = groupOffline(snapshot, ticket, admittedHere);
    return {
      result: "already_checked_in",
      ticketId: ticket.id,
      attendee,
      checkedInAt: earlier.at,
      by: { deviceId: earlier.deviceId, user: null },
      counts: counts(),
      ...(group && { group }),
      offline: true,
    };
  }
  admittedHere.set(ticket.id, { at: now.toISOString(), deviceId });
  const group = groupOffline(snapshot, ticket, admittedHere);
  return {
    result: "admitted",
    ticketId: ticket.id,
    attendee,
    checkedInAt: now.toISOString(),
    counts: { checkedIn: admittedCount + 1, expected: snapshot.counts.expected },
    ...(group && { group }),
    offline: true,
  };
}
