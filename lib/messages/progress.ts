import type { Db, Prisma } from "@/lib/db/prisma";

export type MessageProgress = {
  total: number;
  /** Opted out when the message left (not essential): never queued. */
  skipped: number;
  /** Chosen, not queued yet (a dispatch under way, or stopped and left to the sweep). */
  unqueued: number;
  pending: number;
  sent: number;
  /** Refused for good by the SMTP server, or out of attempts. */
  failed: number;
  /** Not sent: cancelled, opted out since, the ticket changed holder. */
  superseded: number;
};

/** Where a message's emails are, from its recipients and their outbox rows: one query, the message page's numbers. */
export async function messageProgress(db: Db, messageId: string): Promise<MessageProgress> {
  const [progress] = await db.$queryRaw<MessageProgress[]>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE r.skipped IS NOT NULL)::int AS skipped,
           count(*) FILTER (WHERE r.skipped IS NULL AND r."outboxId" IS NULL)::int AS unqueued,
           count(*) FILTER (WHERE o.status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE o.status = 'SENT')::int AS sent,
           count(*) FILTER (WHERE o.status = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE o.status = 'SUPERSEDED')::int AS superseded
      FROM "MessageRecipient" r LEFT JOIN "EmailOutbox" o ON o.id = r."outboxId"
     WHERE r."messageId" = ${messageId}::uuid`;
  return progress;
}

export type CancelOutcome =
  | { cancelled: true; superseded: number }
  /** `nothing_to_stop`: every email has left (sent, failed, or skipped): "Stopped" would be a false record. */
  | { cancelled: false; reason: "not_found" | "cancelled" | "nothing_to_stop" };

/**
 * Stops a message: CANCELLED, and its emails still waiting SUPERSEDED, in one transaction holding the message row
 * FOR UPDATE, so no dispatch batch writes after it (each takes the row FOR SHARE). The email a worker is sending at
 * that moment finishes (its row is locked: the update waits for it and then leaves it SENT). `alsoInTransaction`: the
 * caller's audit entry, written with the change.
 */
export async function cancelMessage(
  db: Db,
  messageId: string,
  now: Date,
  alsoInTransaction?: (tx: Prisma.TransactionClient, superseded: number) => Promise<unknown>,
): Promise<CancelOutcome> {
  return db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM "Message" WHERE id = ${messageId}::uuid FOR UPDATE`;
    if (!message) return { cancelled: false, reason: "not_found" };
    if (message.status === "CANCELLED") return { cancelled: false, reason: "cancelled" };
    if (message.status === "QUEUEING" || message.status === "QUEUED") {
      const [{ waiting }] = await tx.$queryRaw<{ waiting: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM "MessageRecipient" r LEFT JOIN "EmailOutbox" o ON o.id = r."outboxId"
                        WHERE r."messageId" = ${messageId}::uuid AND r.skipped IS NULL
                          AND (r."outboxId" IS NULL OR o.status = 'PENDING')) AS waiting`;
      if (!waiting) return { cancelled: false, reason: "nothing_to_stop" };
    }
    await tx.$executeRaw`UPDATE "Message" SET status = 'CANCELLED', "cancelledAt" = ${now}, "updatedAt" = ${now}
      WHERE id = ${messageId}::uuid`;
    const superseded = await tx.$executeRaw`
      UPDATE "EmailOutbox" o SET status = 'SUPERSEDED', "lastError" = 'message cancelled'
        FROM "MessageRecipient" r
       WHERE r."messageId" = ${messageId}::uuid AND o.id = r."outboxId" AND o.status = 'PENDING'`;
    await alsoInTransaction?.(tx, superseded);
    return { cancelled: true, superseded };
  });
}

/**
 * "Resend the failed": a message's FAILED emails PENDING again with a fresh retry budget and a new bulk job each, in
 * one statement, unless the message was cancelled (held FOR SHARE, as a dispatch batch does). Answers how many;
 * `alsoInTransaction`: the caller's audit entry (`email.resent` with the count), written with the change.
 */
export async function resendFailed(
  db: Db,
  messageId: string,
  now: Date,
  alsoInTransaction?: (tx: Prisma.TransactionClient, resent: number) => Promise<unknown>,
): Promise<number> {
  return db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM "Message" WHERE id = ${messageId}::uuid FOR SHARE`;
    if (!message || message.status === "CANCELLED") return 0;
    const [{ resent }] = await tx.$queryRaw<{ resent: number }[]>`
      WITH failed AS (
        UPDATE "EmailOutbox" o SET status = 'PENDING', attempts = 0, "queuedAt" = ${now}
          FROM "MessageRecipient" r
         WHERE r."messageId" = ${messageId}::uuid AND o.id = r."outboxId" AND o.status = 'FAILED'
        RETURNING o.id)
      SELECT guichet_queue_bulk_email_jobs((SELECT array_agg(id) FROM failed)) AS resent`;
    await alsoInTransaction?.(tx, resent);
    return resent;
  });
}
