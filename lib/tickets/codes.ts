import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";

// A ticket code is "G1" + base64url(payload ‖ Ed25519 signature), where the 35-byte payload is
// format (1) ‖ ticket id (16) ‖ edition id (16) ‖ code version (2, big-endian). 134 characters:
// small enough for a QR code a phone reads at arm's length, and checkable offline by a scanner
// that holds only the public key. The version changes when a ticket is reissued (transfer), which
// is how an old code is revoked; cancellation is recorded on the ticket itself.
const PREFIX = "G1";
const FORMAT = 1;
const PAYLOAD_BYTES = 35;
const SIGNATURE_BYTES = 64;

export type TicketCodeClaims = { ticketId: string; editionId: string; codeVersion: number };

export type CodeVerification =
  { ok: true; claims: TicketCodeClaims } | { ok: false; reason: "malformed" | "bad_signature" };

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex");
const bytesToUuid = (bytes: Buffer) => {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export function signTicketCode(claims: TicketCodeClaims, privateKey: KeyObject): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(FORMAT, 0);
  uuidToBytes(claims.ticketId).copy(payload, 1);
  uuidToBytes(claims.editionId).copy(payload, 17);
  payload.writeUInt16BE(claims.codeVersion, 33);
  return PREFIX + Buffer.concat([payload, sign(null, payload, privateKey)]).toString("base64url");
}

/** A key that verifies codes: the current one, or an earlier one (TICKET_PREVIOUS_KEYS) until its last day ends. */
export type VerifyKey = { publicKey: KeyObject; until?: Date };

/** The keys that verify codes at `now`, the current one first. */
export function liveVerifyKeys(verifyKeys: readonly VerifyKey[], now = new Date()): VerifyKey[] {
  return verifyKeys.filter((key) => key.until === undefined || now < key.until);
}

/** A code's claims when one of the keys live at `now` signed it: codes carry no key id, so each is tried. */
export function verifyTicketCode(code: string, verifyKeys: readonly VerifyKey[], now = new Date()): CodeVerification {
  const text = code.trim();
  if (!text.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(text.slice(PREFIX.length)))
    return { ok: false, reason: "malformed" };
  const bytes = Buffer.from(text.slice(PREFIX.length), "base64url");
  if (bytes.toString("base64url") !== text.slice(PREFIX.length)) return { ok: false, reason: "malformed" };
  if (bytes.length !== PAYLOAD_BYTES + SIGNATURE_BYTES || bytes.readUInt8(0) !== FORMAT)
    return { ok: false, reason: "malformed" };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const signature = bytes.subarray(PAYLOAD_BYTES);
  if (!liveVerifyKeys(verifyKeys, now).some((key) => verify(null, payload, key.publicKey, signature)))
    return { ok: false, reason: "bad_signature" };
  return {
    ok: true,
    claims: {
      ticketId: bytesToUuid(payload.subarray(1, 17)),
      editionId: bytesToUuid(payload.subarray(17, 33)),
      codeVersion: payload.readUInt16BE(33),
    },
  };
}

/** An earlier signing key's public part (JWK x) and the last day (UTC) of its codes, as in TICKET_PREVIOUS_KEYS. */
export type PreviousTicketKey = { x: string; lastDay: string };

/** `verifyKeys` holds the current public key first, then the previous keys. */
export type TicketKeys = { privateKey: KeyObject; publicKey: KeyObject; verifyKeys: VerifyKey[] };

/** When a previous key stops verifying: its last day has ended, in UTC. */
export const previousKeyUntil = (lastDay: string) => new Date(Date.parse(`${lastDay}T00:00:00Z`) + 24 * 60 * 60 * 1000);

/**
 * Keys from a PEM (or base64 DER) PKCS#8 Ed25519 private key, as TICKET_SIGNING_KEY holds it, and the earlier keys
 * still admitted (TICKET_PREVIOUS_KEYS).
 */
export function ticketKeysFrom(secret: string, previous: readonly PreviousTicketKey[] = []): TicketKeys {
  const privateKey = secret.includes("BEGIN")
    ? createPrivateKey(secret)
    : createPrivateKey({ key: Buffer.from(secret, "base64"), format: "der", type: "pkcs8" });
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("TICKET_SIGNING_KEY must be an Ed25519 private key");
  const publicKey = createPublicKey(privateKey);
  const earlier = previous.map(({ x, lastDay }) => {
    try {
      return {
        publicKey: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" }),
        until: previousKeyUntil(lastDay),
      };
    } catch {
      throw new Error(`TICKET_PREVIOUS_KEYS: ${x} is not an Ed25519 public key`);
    }
  });
  return { privateKey, publicKey, verifyKeys: [{ publicKey }, ...earlier] };
}

/** A public key as TICKET_PREVIOUS_KEYS and the scanners' snapshot write it: its JWK x (base64url, 43 characters). */
export const publicKeyX = (publicKey: KeyObject) => publicKey.export({ format: "jwk" }).x as string;

export function generateTicketSigningKey(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}
