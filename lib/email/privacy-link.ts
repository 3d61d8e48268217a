import { createHmac, timingSafeEqual } from "node:crypto";

/** How long the link of a "my data" email works. */
export const PRIVACY_EXPORT_LINK_HOURS = 24;

const mac = (key: string, address: string, expires: number) =>
  createHmac("sha256", key).update(`privacy-export:${address}:${expires}`).digest("base64url");

/**
 * The signed part of a data export link (signed with the email links' key, as opt-out links are): the address, when
 * the link stops working and the HMAC of both. Only who receives mail at the address gets one, so only they see the
 * data of every edition; a link forwarded works until it expires.
 */
export function privacyExportToken(key: string, emailKey: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + PRIVACY_EXPORT_LINK_HOURS * 3600;
  return `${Buffer.from(emailKey, "utf8").toString("base64url")}.${expires}.${mac(key, emailKey, expires)}`;
}

/** The address a token was made for, or null when it was not made with `key` or has expired. */
export function privacyExportAddressOf(key: string, token: string, now: Date): string | null {
  const [encoded, expiresText, given, ...rest] = token.split(".");
  if (rest.length > 0 || !encoded || !given || !/^\d{1,12}$/.test(expiresText ?? "")) return null;
  const address = Buffer.from(encoded, "base64url").toString("utf8");
  const expires = Number(expiresText);
  const expected = Buffer.from(mac(key, address, expires));
  const received = Buffer.from(given);
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) return null;
  return expires * 1000 > now.getTime() ? address : null;
}
