import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "@/lib/db/prisma";

/** The form an address is compared in (MessageRecipient.emailKey): trimmed, lower-cased. */
export const emailKeyOf = (address: string) => address.trim().toLowerCase();

/** What EmailOptOut stores of an address: never the address itself. The SQL twin is in recipientRowsSql. */
export const emailHash = (emailKey: string) => createHash("sha256").update(emailKey, "utf8").digest("hex");

const signature = (key: string, hash: string) =>
  createHmac("sha256", key).update(`opt-out:${hash}`).digest("base64url");

/**
 * The opt-out link's token for an address: its hash and the hash's HMAC, so the link works without signing in and is
 * checked without a query; nobody can make one for an address they do not receive mail at.
 */
export const optOutToken = (key: string, emailKey: string) => {
  const hash = emailHash(emailKey);
  return `${hash}.${signature(key, hash)}`;
};

/** The address hash a token stands for, or null when it was not made with `key`. */
export function optOutHashOf(key: string, token: string): string | null {
  const [hash, mac, ...rest] = token.split(".");
  if (rest.length > 0 || !/^[0-9a-f]{64}$/.test(hash ?? "") || !mac) return null;
  const expected = Buffer.from(signature(key, hash));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? hash : null;
}

export type OptOutVia = "page" | "one_click";

/** Stops non-essential messages to the token's address; true when the token is good (whatever the state was). */
export async function optOut(db: Db, key: string, token: string, via: OptOutVia): Promise<boolean> {
  const hash = optOutHashOf(key, token);
  if (!hash) return false;
  await db.$executeRaw`INSERT INTO "EmailOptOut" ("emailHash", via) VALUES (${hash}, ${via})
    ON CONFLICT ("emailHash") DO NOTHING`;
  return true;
}

/** Receives them again. */
export async function optIn(db: Db, key: string, token: string): Promise<boolean> {
  const hash = optOutHashOf(key, token);
  if (!hash) return false;
  await db.emailOptOut.deleteMany({ where: { emailHash: hash } });
  return true;
}

/** Whether the token's address has opted out (null: not a good token). */
export async function optedOut(db: Db, key: string, token: string): Promise<boolean | null> {
  const hash = optOutHashOf(key, token);
  if (!hash) return null;
  return (await db.emailOptOut.count({ where: { emailHash: hash } })) > 0;
}

/**
 * The key that signs the links in emails that work without signing in, the same on every instance:
 * EMAIL_LINK_HMAC_KEY, or one derived from AUTH_SECRET (as queueKeyFrom does), so opt-out links never depend on one
 * more secret having been set everywhere. Null when neither is set.
 */
export function emailLinkKeyFrom(settings: { EMAIL_LINK_HMAC_KEY?: string; AUTH_SECRET?: string }): string | null {
  if (settings.EMAIL_LINK_HMAC_KEY) return settings.EMAIL_LINK_HMAC_KEY;
  if (!settings.AUTH_SECRET) return null;
  return createHmac("sha256", settings.AUTH_SECRET).update("guichet email links").digest("base64url");
}
