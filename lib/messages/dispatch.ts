import type { Db, Prisma } from "@/lib/db/prisma";
import { recipientRowsSql, type MessageAudience, type RecipientSource } from "./recipients";

/** Recipients queued per transaction: one statement writes their outbox rows and jobs. */
export const DISPATCH_BATCH = 1000;

/** The outbox kind of a message's emails, by the message's kind (each one a BULK_EMAIL_KIND). */
export const EMAIL_KIND_OF = { CUSTOM: "message", PRACTICAL_INFO: "practical_info", CERTIFICATE: "certificate_ready" };
type MessageKind = keyof typeof EMAIL_KIND_OF;

/**
 * Phase 1: the message leaves DRAFT or SCHEDULED for QUEUEING and its recipients are written, in one transaction,
 * from recipientRowsSql as it matches now (rows never leave Postgres). The conditional transition happens once
 * whoever calls, so a second caller (another instance's sweep, a double click) chooses nobody: null.
 * `alsoInTransaction`: the caller's audit entry with the count, written with the choice.
 */
export async function chooseRecipients(
  db: Db,
  messageId: string,
  now: Date,
  alsoInTransaction?: (tx: Prisma.TransactionClient, recipients: number) => Promise<unknown>,
): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<
      { editionId: string; audience: MessageAudience; filter: unknown; essential: boolean }[]
    >`UPDATE "Message" SET status = 'QUEUEING', "dispatchedAt" = ${now}, "updatedAt" = ${now}
      WHERE id = ${messageId}::uuid AND status IN ('DRAFT', 'SCHEDULED')
      RETURNING "editionId"::text AS "editionId", audience::text AS audience, filter, essential`;
    if (!message) return null;
    const recipients = await addRecipients(tx, messageId, message, now);
    await alsoInTransaction?.(tx, recipients);
    return recipients;
  });
}

/**
 * Writes the recipients recipientRowsSql finds now, in one statement; an address the message has already is left as
 * it is (a standing message gains only the new ones). Answers how many were added.
 */
export function addRecipients(
  tx: Prisma.TransactionClient,
  messageId: string,
  source: RecipientSource,
  now: Date,
): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "MessageRecipient" (id, "messageId", "emailKey", "toAddress", "firstName", locale, "ticketId",
                                    "orderId", "entryId", skipped)
    SELECT gen_random_uuid(), ${messageId}::uuid, r."emailKey", r."toAddress", r."firstName", r.locale, r."ticketId",
           r."orderId", r."entryId", r.skipped
      FROM (${recipientRowsSql(source, now)}) r
    ON CONFLICT ("messageId", "emailKey") DO NOTHING`;
}

/**
 * Phase 2: the recipients not queued yet get their outbox rows and `email.bulk` jobs, a batch per transaction, until
 * none is left; then the message is QUEUED. Each batch holds the message row FOR SHARE and stops unless the message
 * is still QUEUEING (a cancel takes it FOR UPDATE: no batch writes after it). Instances finishing the same message
 * split its batches (SKIP LOCKED); the dedupe key and the unique outboxId are the backstop. Answers how many this
 * call queued: Node holds a count per batch, never the rows.
 */
export async function queueRecipients(db: Db, messageId: string, now: Date, batch = DISPATCH_BATCH): Promise<number> {
  let queued = 0;
  for (;;) {
    const linked = await db.$transaction(async (tx) => {
      const [message] = await tx.$queryRaw<{ status: string; kind: MessageKind; editionId: string }[]>`
        SELECT status::text AS status, kind::text AS kind, "editionId"::text AS "editionId"
          FROM "Message" WHERE id = ${messageId}::uuid FOR SHARE`;
      if (message?.status !== "QUEUEING") return 0;
      const [{ n }] = await tx.$queryRaw<{ jobs: number; n: number }[]>`
        WITH batch AS (
          SELECT r.id, r."messageId", r."orderId", r."toAddress", r.locale FROM "MessageRecipient" r
           WHERE r."messageId" = ${messageId}::uuid AND r."outboxId" IS NULL AND r.skipped IS NULL
           ORDER BY r.id LIMIT ${batch} FOR UPDATE SKIP LOCKED),
        outbox AS (
          INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "editionId", "toAddress", locale, payload)
          SELECT gen_random_uuid(), 'message:' || b."messageId" || ':' || b.id, ${EMAIL_KIND_OF[message.kind]},
                 b."orderId", ${message.editionId}::uuid, b."toAddress", b.locale,
                 jsonb_build_object('messageId', b."messageId", 'recipientId', b.id)
            FROM batch b
          ON CONFLICT ("dedupeKey") DO NOTHING
          RETURNING id, (payload->>'recipientId')::uuid AS rid),
        linked AS (
          UPDATE "MessageRecipient" r SET "outboxId" = o.id FROM outbox o WHERE r.id = o.rid RETURNING 1)
        SELECT guichet_queue_bulk_email_jobs((SELECT array_agg(id) FROM outbox)) AS jobs,
               (SELECT count(*) FROM linked)::int AS n`;
      return n;
    });
    queued += linked;
    // An empty batch: nothing left, or what is left is another instance's batch in flight (it finishes the message).
    if (linked === 0) break;
  }
  await db.$executeRaw`
    UPDATE "Message" SET status = 'QUEUED', "queuedAt" = ${now}, "updatedAt" = ${now}
     WHERE id = ${messageId}::uuid AND status = 'QUEUEING'
       AND NOT EXISTS (SELECT 1 FROM "MessageRecipient" r
                        WHERE r."messageId" = ${messageId}::uuid AND r."outboxId" IS NULL AND r.skipped IS NULL)`;
  return queued;
}

export type DispatchOutcome =
  | { dispatched: true; recipients: number; queued: number }
  /** Not DRAFT or SCHEDULED any more: sent, being sent, or cancelled, by this or another caller. */
  | { dispatched: false };

/**
 * Sends a message now: both phases in the caller's request ("Send now"; 5,000 recipients in about a second). A crash
 * between batches leaves it QUEUEING for the message sweep to finish.
 */
export async function dispatchMessage(db: Db, messageId: string, now: Date): Promise<DispatchOutcome> {
  const recipients = await chooseRecipients(db, messageId, now);
  if (recipients === null) return { dispatched: false };
  return { dispatched: true, recipients, queued: await queueRecipients(db, messageId, now) };
}
