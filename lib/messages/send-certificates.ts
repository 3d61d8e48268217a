import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { certificateEligibleSql, certificateRuleSettings, certificatesEnabled } from "@/lib/certificates/eligible";
import type { Db } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { queueRecipients } from "./dispatch";

const sql = Prisma.sql;

/** The standing message's filter in the list's words, for its page: who came (the rule itself chooses, below). */
export const CERTIFICATE_FILTER = { status: "confirmed", checkedIn: "yes", named: "yes" };

/**
 * Who may have their certificate emailed: one row per address (the earliest eligible ticket's), from the one rule's
 * SQL twin. A certificate names its holder, so it goes to the ticket's own address, never to a buyer.
 */
const eligibleRows = (editionId: string) => sql`
  SELECT DISTINCT ON (1) lower(btrim(t.email)) AS "emailKey", t.email AS "toAddress", t."firstName" AS "firstName",
         coalesce(t.locale, o.locale) AS locale, t.id AS "ticketId", o.id AS "orderId"
    FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
   WHERE t."editionId" = ${editionId}::uuid AND ${certificateEligibleSql}
   ORDER BY 1, t."createdAt", t.id`;

export type CertificateSendCounts = {
  /** Addresses holding a ticket the rule finds eligible now. */
  eligible: number;
  /** Of those, the ones already written to (their email sent or on its way). */
  reached: number;
};

/** The counts the settings page shows beside "Email their certificate to everyone who came". */
export async function certificateSendCounts(db: Db, editionId: string): Promise<CertificateSendCounts> {
  const [counts] = await db.$queryRaw<CertificateSendCounts[]>`
    SELECT count(*)::int AS eligible,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
              WHERE m."editionId" = ${editionId}::uuid AND m.kind = 'CERTIFICATE' AND r."emailKey" = e."emailKey"
           ))::int AS reached
      FROM (${eligibleRows(editionId)}) e`;
  return counts;
}

export type CertificateSending =
  | { ok: true; added: number; queued: number }
  | { ok: false; reason: "not_found" | "certificates_disabled" | "edition_not_ended" };

/**
 * "Email their certificate to everyone who came": the edition's standing CERTIFICATE message (one per edition, the
 * partial unique index) is created or set QUEUEING again and gains every eligible address it has not reached, then
 * its emails are queued. Each address gets it once: ON CONFLICT DO NOTHING on (message, address), so a second click,
 * or a click on another instance at the same moment (it waits for the first one's row), adds only those eligible
 * since. An explicit click also takes a stopped one up again: those it already reached are not written to again.
 * Audited `certificates.sent` with the count when it added anyone.
 */
export async function sendAllCertificates(
  db: Db,
  actor: AuditActor,
  editionId: string,
  now: Date,
): Promise<CertificateSending> {
  const edition = await db.edition.findUnique({ where: { id: editionId }, select: { endsAt: true } });
  if (!edition) return { ok: false, reason: "not_found" };
  if (!certificatesEnabled(await certificateRuleSettings(db, editionId))) {
    return { ok: false, reason: "certificates_disabled" };
  }
  if (now < edition.endsAt) return { ok: false, reason: "edition_not_ended" };
  const chosen = await db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Message" (id, "editionId", kind, audience, filter, essential, status, "dispatchedAt", "createdById",
                             "updatedAt")
      VALUES (gen_random_uuid(), ${editionId}::uuid, 'CERTIFICATE', 'ATTENDEES',
              ${JSON.stringify(CERTIFICATE_FILTER)}::jsonb, true, 'QUEUEING', ${now}, ${actor.id}::uuid, ${now})
      ON CONFLICT ("editionId", kind) WHERE kind <> 'CUSTOM'
        DO UPDATE SET status = 'QUEUEING', "dispatchedAt" = ${now}, "updatedAt" = ${now}
      RETURNING id::text AS id`;
    const added = await tx.$executeRaw`
      INSERT INTO "MessageRecipient" (id, "messageId", "emailKey", "toAddress", "firstName", locale, "ticketId",
                                      "orderId")
      SELECT gen_random_uuid(), ${message.id}::uuid, e."emailKey", e."toAddress", e."firstName", e.locale,
             e."ticketId", e."orderId"
        FROM (${eligibleRows(editionId)}) e
      ON CONFLICT ("messageId", "emailKey") DO NOTHING`;
    if (added > 0) {
      await recordAudit(tx, actor, {
        editionId,
        action: "certificates.sent",
        subjectType: "message",
        subjectId: message.id,
        after: { recipients: added },
      });
    }
    return { messageId: message.id, added };
  });
  return { ok: true, added: chosen.added, queued: await queueRecipients(db, chosen.messageId, now) };
}
