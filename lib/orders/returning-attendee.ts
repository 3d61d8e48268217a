import { sign, verify, type KeyObject } from "node:crypto";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { requestEmailedLink, type LinkRequestOutcome } from "@/lib/email/link-request";
import { enqueueEmail } from "@/lib/email/outbox";
import { runNow, type Defer } from "@/lib/http/defer";
import { attendeeFormValues } from "./registration-form";

const LINK_HOURS = 24;

// A prefill link proves its holder reads the mailbox: "P1" + base64url(JSON {e, x}) + "." + signature.
export function signPrefillToken(email: string, expiresAt: Date, privateKey: KeyObject): string {
  const payload = Buffer.from(JSON.stringify({ e: email, x: Math.floor(expiresAt.getTime() / 1000) }));
  return `P1${payload.toString("base64url")}.${sign(null, payload, privateKey).toString("base64url")}`;
}

/** The email a prefill token vouches for, or null if it is forged, altered or expired. */
export function verifyPrefillToken(token: string, publicKey: KeyObject, now = new Date()): string | null {
  const match = /^P1([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return null;
  const payload = Buffer.from(match[1], "base64url");
  const signature = Buffer.from(match[2], "base64url");
  // Only the canonical encoding: a token that differs in base64's unused bits is not the one we sent.
  if (payload.toString("base64url") !== match[1] || signature.toString("base64url") !== match[2]) return null;
  if (!verify(null, payload, publicKey, signature)) return null;
  try {
    const { e, x } = JSON.parse(payload.toString());
    return typeof e === "string" && typeof x === "number" && x * 1000 > now.getTime() ? e : null;
  } catch {
    return null;
  }
}

/**
 * A returning attendee asks for their details: if the address has registered before, it receives a
 * link that refills the form. Nothing is shown to someone who merely types an address; the answers
 * and limits are those of every "email me a link" form.
 */
export async function requestPrefillLink(
  db: Db,
  input: { email: unknown; clientKey: string | null; locale: "fr" | "en"; registerUrl: string; signingKey: KeyObject },
  now = new Date(),
  defer: Defer = runNow,
): Promise<LinkRequestOutcome> {
  const request = { purpose: "prefill", email: input.email, clientKey: input.clientKey };
  return requestEmailedLink(
    db,
    request,
    async (email) => {
      const known = await db.ticket.findFirst({ where: { email }, select: { id: true } });
      if (!known) return;
      const token = signPrefillToken(email, new Date(now.getTime() + LINK_HOURS * 3600_000), input.signingKey);
      const url = `${input.registerUrl}${input.registerUrl.includes("?") ? "&" : "?"}prefill=${token}`;
      const message = { kind: "returning_prefill", toAddress: email, locale: input.locale, payload: { url } } as const;
      await db.$transaction((tx) => enqueueEmail(tx, { dedupeKey: `prefill:${email}:${randomUUID()}`, ...message }));
    },
    { now, defer },
  );
}

/** The details of the address's most recent registration, for the form. */
export async function prefillValuesFor(db: Db, email: string): Promise<Record<string, string> | undefined> {
  const ticket = await db.ticket.findFirst({ where: { email }, orderBy: { createdAt: "desc" } });
  // Answers belong to the edition they were given for: only the person's details carry over.
  return ticket ? attendeeFormValues(ticket) : undefined;
}
