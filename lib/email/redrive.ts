import type { Db } from "@/lib/db/prisma";
import { EMAIL_BULK_QUEUE, EMAIL_QUEUE, queueEmailJob, queueOfKind } from "./queue";

const BATCH = 500;

/**
 * Puts back in its queue (transactional or bulk, by its kind) every PENDING email that no job is working on any more:
 * its job spent pg-boss's retries during a long SMTP outage, or it was written while the queue was missing.
 * Jobs carry their outbox id as singleton key, which is how a live job is recognised. The
 * standard queue policy does not make that key unique, so one transaction-scoped advisory lock
 * keeps instances from re-driving at the same moment; a stray duplicate job would still send
 * nothing twice (the worker only sends a PENDING row, under its lock).
 */
export async function redriveStalledEmails(db: Db, { olderThanSeconds = 60 } = {}): Promise<number> {
  return db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<
      { locked: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(hashtext('guichet:email-redrive')) AS locked`;
    if (!locked) return 0;
    const stalled = await tx.$queryRaw<{ id: string; kind: string }[]>`
      SELECT o.id::text AS id, o.kind FROM "EmailOutbox" o
      WHERE o.status = 'PENDING' AND o."queuedAt" <= now() - make_interval(secs => ${olderThanSeconds})
        AND NOT EXISTS (
          SELECT 1 FROM pgboss.job j
          WHERE j.name IN (${EMAIL_QUEUE}, ${EMAIL_BULK_QUEUE}) AND j.singleton_key = o.id::text
            AND j.state IN ('created', 'retry', 'active')
        )
      ORDER BY o."queuedAt"
      LIMIT ${BATCH}
      FOR UPDATE OF o SKIP LOCKED`;
    for (const { id, kind } of stalled) await queueEmailJob(tx, id, queueOfKind(kind));
    return stalled.length;
  });
}
