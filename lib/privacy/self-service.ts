import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { enqueueEmail } from "@/lib/email/outbox";
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { looksLikeAccessToken } from "@/lib/orders/codes";
import { consumeRateLimit } from "@/lib/rate-limit/consume";
import { privacyController } from "./controller";
import { ATTENDEE, privacyKey, requestErasure } from "./requests";

/** The private page a request comes from: a ticket's own page (its holder) or an order's (its buyer). */
export type PrivateLink = { page: "ticket" | "order"; token: string };

/** Data export emails one address may ask for a day. */
export const EXPORTS_PER_ADDRESS_PER_DAY = 3;

export type SelfServiceOutcome = "export_sent" | "export_limited" | "erasure_requested" | "not_found";

async function addressBehind(db: Db, link: PrivateLink): Promise<string | null> {
  if (!looksLikeAccessToken(link.token)) return null;
  const address =
    link.page === "ticket"
      ? (await db.ticket.findUnique({ where: { accessToken: link.token }, select: { email: true } }))?.email
      : (await db.order.findUnique({ where: { accessToken: link.token }, select: { buyerEmail: true } }))?.buyerEmail;
  return address ? privacyKey(address) : null;
}

/**
 * "Email me all my data": the link to the export goes to the page's address, never shown on the page, so only the
 * mailbox's owner sees other editions' data. Three a day per address, whichever page asks.
 */
export async function emailMyData(
  db: Db,
  link: PrivateLink,
  locale: "fr" | "en",
  now: Date,
): Promise<SelfServiceOutcome> {
  const emailKey = await addressBehind(db, link);
  if (!emailKey) return "not_found";
  const within = await consumeRateLimit(db, `privacy-export:email:${emailKey}`, {
    limit: EXPORTS_PER_ADDRESS_PER_DAY,
    windowSeconds: 24 * 3600,
    now,
  });
  if (!within) return "export_limited";
  await db.$transaction(async (tx) => {
    await enqueueEmail(tx, {
      // Each ask is its own email (the rate limit bounds them); the key names no address.
      dedupeKey: `privacy-export:${randomUUID()}`,
      kind: "privacy_export",
      toAddress: emailKey,
      locale,
    });
    await recordAudit(tx, ATTENDEE, {
      editionId: null,
      action: "privacy.export_sent",
      subjectType: "privacy_request",
      subjectId: null,
    });
  });
  return "export_sent";
}

/**
 * "Ask for my data to be erased": an OPEN erasure request for the page's address and, the first time, an email to the
 * organisers' contact (the privacy notice's controller) pointing at the back office.
 */
export async function askForErasure(
  db: Db,
  link: PrivateLink,
  { mailFrom, locale, now }: { mailFrom: string; locale: "fr" | "en"; now: Date },
): Promise<SelfServiceOutcome> {
  const emailKey = await addressBehind(db, link);
  if (!emailKey) return "not_found";
  const contact = privacyController(await loadOrganiserProfile(db), mailFrom, "").email;
  await db.$transaction(async (tx) => {
    const request = await requestErasure(tx, emailKey, now);
    if (request.created && contact) {
      await enqueueEmail(tx, {
        dedupeKey: `privacy-erasure-request:${request.id}`,
        kind: "privacy_erasure_request",
        toAddress: contact,
        locale,
      });
    }
  });
  return "erasure_requested";
}
