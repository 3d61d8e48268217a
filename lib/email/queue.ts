import pg from "pg";
import PgBoss from "pg-boss";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";

export const EMAIL_QUEUE = "email.send";
/**
 * A message's emails (docs/attendee-messages.md), queued by the thousand in SQL (guichet_queue_bulk_email_jobs):
 * their own queue, so a transactional email never waits behind a newsletter, and an instance of a release that
 * does not know the message kinds never takes one.
 */
export const EMAIL_BULK_QUEUE = "email.bulk";
export const EMAIL_QUEUES = [EMAIL_QUEUE, EMAIL_BULK_QUEUE] as const;
export type EmailQueue = (typeof EMAIL_QUEUES)[number];

/** The kinds of email a message's dispatch writes, which go through the bulk queue. */
export const BULK_EMAIL_KINDS: readonly string[] = ["message", "practical_info", "certificate_ready"];

/** The queue an outbox email of this kind is sent through: what a re-drive or a resend puts it back in. */
export function queueOfKind(kind: string): EmailQueue {
  return BULK_EMAIL_KINDS.includes(kind) ? EMAIL_BULK_QUEUE : EMAIL_QUEUE;
}
const SCHEMA = "pgboss";

export type EmailJob = { outboxId: string };

/** How often a failing email is tried: pg-boss's retries within one job, then re-drives start new jobs. */
export const EMAIL_RETRY_POLICY = {
  // SMTP hiccups are retried with exponential backoff: 2 s, 4 s, 8 s… ten times (35 to 70 minutes).
  retryLimit: 10,
  retryDelay: 2,
  retryBackoff: true,
  /** Failed attempts over every job of an email (four rounds, 2½ to 5 hours of outage) before it is FAILED. */
  maxAttempts: 44,
};

export function createBoss(databaseUrl: string, max = 4): PgBoss {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: SCHEMA, max });
  // pg-boss retries its own polling and maintenance: what it reports here was retried, not lost.
  boss.on("error", (error) => log.warn({ err: error }, "pg-boss"));
  return boss;
}

/**
 * Creates pg-boss's schema and our queues, and applies the retry policy to a queue that exists.
 * Idempotent and safe from several instances at once: every instance runs it at start-up,
 * because a job sent to a missing queue is silently not created.
 */
export async function installJobQueue(databaseUrl: string): Promise<void> {
  // Two createQueue calls at once deadlock in Postgres (each creates and attaches the queue's
  // partition): a session advisory lock, released when its connection ends, takes them in turn.
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('guichet:install-job-queue'))");
    const boss = createBoss(databaseUrl, 2);
    await boss.start();
    try {
      const { retryLimit, retryDelay, retryBackoff } = EMAIL_RETRY_POLICY;
      for (const name of EMAIL_QUEUES) {
        await boss.createQueue(name, { name, retryLimit, retryDelay, retryBackoff });
        await boss.updateQueue(name, { name, retryLimit, retryDelay, retryBackoff });
      }
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  } finally {
    await lock.end();
  }
}

// Sending needs no started instance: the insert runs on the caller's transaction (see below).
const sender = new PgBoss({ connectionString: "postgresql://unused", schema: SCHEMA });

/**
 * Queues a job inside the caller's Prisma transaction: it exists if and only if the transaction
 * commits. pg-boss inserts nothing and answers null when the queue is missing: that is an error
 * here, so the change that needed the job rolls back instead of losing it.
 */
export async function queueJobInTransaction(
  tx: Prisma.TransactionClient,
  queue: string,
  data: object,
  options: { singletonKey?: string } = {},
): Promise<string> {
  const id = await sender.send(queue, data, {
    ...options,
    db: {
      async executeSql(text, values) {
        const params = values.map((value) =>
          value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
        );
        return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...params) };
      },
    },
  });
  if (!id) throw new Error(`job queue "${queue}" did not take the job: is the queue installed (installJobQueue)?`);
  return id;
}

/**
 * Queues the sending of one outbox email, on the transactional queue unless told otherwise (a message's email put
 * back by a re-drive or a resend: `queueOfKind`); the outbox id is the job's singleton key, which the re-drive
 * looks up.
 */
export function queueEmailJob(
  tx: Prisma.TransactionClient,
  outboxId: string,
  queue: EmailQueue = EMAIL_QUEUE,
): Promise<string> {
  return queueJobInTransaction(tx, queue, { outboxId } satisfies EmailJob, { singletonKey: outboxId });
}
