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

export function verifyTicketCode(code: string, publicKey: KeyObject): CodeVerification {
  const text = code.trim();
  if (!text.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(text.slice(PREFIX.length)))
    return { ok: false, reason: "malformed" };
  const bytes = Buffer.from(text.slice(PREFIX.length), "base64url");
  if (bytes.toString("base64url") !== text.slice(PREFIX.length)) return { ok: false, reason: "malformed" };
  if (bytes.length !== PAYLOAD_BYTES + SIGNATURE_BYTES || bytes.readUInt8(0) !== FORMAT)
    return { ok: false, reason: "malformed" };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!verify(null, payload, publicKey, bytes.subarray(PAYLOAD_BYTES))) return { ok: false, reason: "bad_signature" };
  return {
    ok: true,
    claims: {
      ticketId: bytesToUuid(payload.subarray(1, 17)),
      editionId: bytesToUuid(payload.subarray(17, 33)),
      codeVersion: payload.readUInt16BE(33),
    },
  };
}

export type TicketKeys = { privateKey: KeyObject; publicKey: KeyObject };

/** Keys from a PEM (or base64 DER) PKCS#8 Ed25519 private key, as TICKET_SIGNING_KEY holds it. */
export function ticketKeysFrom(secret: string): TicketKeys {
  const privateKey = secret.includes("BEGIN")
    ? createPrivateKey(secret)
    : createPrivateKey({ key: Buffer.from(secret, "base64"), format: "der", type: "pkcs8" });
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("TICKET_SIGNING_KEY must be an Ed25519 private key");
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export function generateTicketSigningKey(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}
