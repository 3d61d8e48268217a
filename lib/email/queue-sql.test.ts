import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { queueEmailJob } from "./queue";

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
