import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { EMAIL_BULK_QUEUE, queueEmailJob } from "./queue";

const { db } = await useTestDatabase(2);

// The job row as pg-boss would read it, minus what differs between any two sends (id, times) and with the
// outbox id named once: the column set itself is compared, so a pg-boss upgrade that adds one fails here.
async function jobOf(outboxId: string) {
  const [row] = await db.$queryRaw<{ job: Record<string, unknown>; retention: string; starts: boolean }[]>`
    SELECT to_jsonb(j) - 'id' - 'created_on' - 'start_after' - 'keep_until' AS job,
           (j.keep_until - j.start_after)::text AS retention, j.start_after <= now() AS starts
      FROM pgboss.job j WHERE j.singleton_key = ${outboxId}`;
  return { ...row, job: JSON.parse(JSON.stringify(row.job).replaceAll(outboxId, "<outbox>")) };
}

describe("guichet_queue_email_job, the email job the placement's SQL queues", () => {
  it("writes the row pg-boss's own send writes for our queue, column for column", async () => {
    const [byBoss, bySql] = [randomUUID(), randomUUID()];
    await db.$transaction((tx) => queueEmailJob(tx, byBoss));
    await db.$queryRaw`SELECT guichet_queue_email_job(${bySql}::uuid)`;

    const expected = await jobOf(byBoss);
    expect(expected.job).toMatchObject({ name: "email.send", data: { outboxId: "<outbox>" }, retry_limit: 10 });
    expect(await jobOf(bySql)).toEqual(expected);
  });
});

describe("guichet_queue_bulk_email_jobs, a message's batch of email jobs in one statement", () => {
  it("writes for each email the row pg-boss's own send writes on the bulk queue, column for column", async () => {
    const [byBoss, ...bySql] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await db.$transaction((tx) => queueEmailJob(tx, byBoss, EMAIL_BULK_QUEUE));
    const [{ queued }] = await db.$queryRaw<{ queued: number }[]>`
      SELECT guichet_queue_bulk_email_jobs(${bySql}::uuid[]) AS queued`;
    expect(queued).toBe(3);

    const expected = await jobOf(byBoss);
    expect(expected.job).toMatchObject({ name: "email.bulk", data: { outboxId: "<outbox>" }, retry_limit: 10 });
    for (const outboxId of bySql) expect(await jobOf(outboxId)).toEqual(expected);
  });

  it("queues nothing for an empty batch, and refuses a batch when the queue is missing", async () => {
    const empty = await db.$queryRaw<{ queued: number }[]>`
      SELECT guichet_queue_bulk_email_jobs(ARRAY[]::uuid[]) AS queued`;
    expect(empty).toEqual([{ queued: 0 }]);
    const outboxId = randomUUID();
    // The queue (and its jobs) go only inside this transaction, which the refusal rolls back.
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRaw`DELETE FROM pgboss.job WHERE name = ${EMAIL_BULK_QUEUE}`;
        await tx.$executeRaw`DELETE FROM pgboss.queue WHERE name = ${EMAIL_BULK_QUEUE}`;
        await tx.$queryRaw`SELECT guichet_queue_bulk_email_jobs(ARRAY[${outboxId}]::uuid[])`;
      }),
    ).rejects.toThrow(/job queue "email.bulk" is missing/);
    expect(await db.$queryRaw`SELECT 1 FROM pgboss.job WHERE singleton_key = ${outboxId}`).toEqual([]);
  });
});
