import { generateKeyPairSync } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { previousKeyUntil, publicKeyX, ticketKeysFrom, type PreviousTicketKey } from "./codes";

// As lib/env.ts: every code is tried against each key, so a few at most.
const MAX_PREVIOUS_KEYS = 3;

/** TICKET_PREVIOUS_KEYS as lib/env.ts reads it back. */
export const formatPreviousTicketKeys = (keys: readonly PreviousTicketKey[]) =>
  keys.map(({ x, lastDay }) => `${x}@${lastDay}`).join(",");

/**
 * A new signing key, and the keys that must still verify once it signs: the current one until the last edition not
 * ended yet ends (UTC day), since every code already sent was signed by it, and the earlier ones whose day has not
 * ended. With no edition still to come, the current key's codes are needed no more and it is dropped.
 */
export async function rotateTicketKey(
  db: Db,
  current: { secret: string; previous: readonly PreviousTicketKey[] },
  now = new Date(),
): Promise<{ signingKey: string; previousKeys: PreviousTicketKey[]; currentKeyUntil: string | null }> {
  const latest = await db.edition.aggregate({ _max: { endsAt: true }, where: { endsAt: { gt: now } } });
  const lastDay = latest._max.endsAt?.toISOString().slice(0, 10) ?? null;
  const currentX = publicKeyX(ticketKeysFrom(current.secret).publicKey);
  const stillValid = current.previous.filter((key) => key.x !== currentX && now < previousKeyUntil(key.lastDay));
  const previousKeys = [...(lastDay ? [{ x: currentX, lastDay }] : []), ...stillValid];
  if (previousKeys.length > MAX_PREVIOUS_KEYS) {
    const soonest = stillValid.map((key) => key.lastDay).sort()[0];
    throw new Error(
      `${previousKeys.length} keys would still verify codes, at most ${MAX_PREVIOUS_KEYS}: rotate after ${soonest}.`,
    );
  }
  // Base64 DER on one line: an environment file holds it as it is, where a PEM spans lines.
  const signingKey = generateKeyPairSync("ed25519")
    .privateKey.export({ format: "der", type: "pkcs8" })
    .toString("base64");
  return { signingKey, previousKeys, currentKeyUntil: lastDay };
}
