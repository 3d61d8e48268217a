import PgBoss from "pg-boss";
import type { Prisma } from "@/lib/generated/prisma/client";

export const EMAIL_QUEUE = "email.send";
const SCHEMA = "pgboss";

export type EmailJob = { outboxId: string };

export function createBoss(databaseUrl: string, max = 4): PgBoss {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: SCHEMA, max });
  boss.on("error", (error) => console.error("pg-boss", error));
  return boss;
}

/** Creates pg-boss's schema and our queue; run once before the app sends or works jobs. */
export async function installJobQueue(databaseUrl: string): Promise<void> {
  const boss = createBoss(databaseUrl, 2);
  await boss.start();
  // SMTP hiccups are retried with exponential backoff: 2 s, 4 s, 8 s… ten times (about half an hour).
  await boss.createQueue(EMAIL_QUEUE, { name: EMAIL_QUEUE, retryLimit: 10, retryDelay: 2, retryBackoff: true });
  await boss.stop({ graceful: false, wait: true });
}

// Sending needs no started instance: the insert runs on the caller's transaction (see below).
const sender = new PgBoss({ connectionString: "postgresql://unused", schema: SCHEMA });

/** Queues a job inside the caller's Prisma transaction: it exists if and only if the transaction commits. */
export async function queueJobInTransaction(tx: Prisma.TransactionClient, queue: string, data: object): Promise<void> {
  await sender.send(queue, data, {
    db: {
      async executeSql(text, values) {
        const params = values.map((value) => (value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value));
        return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...params) };
      },
    },
  });
}
