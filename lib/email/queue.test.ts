import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createBoss, EMAIL_BULK_QUEUE, EMAIL_QUEUE, installJobQueue } from "./queue";

const { db, url } = await useTestDatabase(4);

describe("the email job queue", () => {
  it("never loses an email to a missing queue: the change fails whole; instances' start-up restores it", async () => {
    const boss = createBoss(url, 1);
    await boss.start();
    await boss.deleteQueue(EMAIL_QUEUE);
    await boss.deleteQueue(EMAIL_BULK_QUEUE);
    await boss.stop({ graceful: false, wait: true });

    const edition = await createEdition(db, { capacity: 5 });
    await expect(
      registerAttendee(db, edition.slug, attendeeRequest("free", "no-queue"), { holdMinutes: 35 }),
    ).rejects.toThrow(/did not take the job/);
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
    expect(await db.emailOutbox.count()).toBe(0);

    // Two instances starting at once, then a restart: one queue, with the retry policy.
    await Promise.all([installJobQueue(url), installJobQueue(url)]);
    await installJobQueue(url);
    const queues = await db.$queryRaw<
      { name: string; retry_limit: number }[]
    >`SELECT name, retry_limit FROM pgboss.queue WHERE name = ${EMAIL_QUEUE}`;
    expect(queues).toEqual([{ name: EMAIL_QUEUE, retry_limit: 10 }]);
    // The bulk queue (a message's emails) beside it, with the same policy.
    const bulk = await db.$queryRaw`SELECT name, retry_limit FROM pgboss.queue WHERE name = ${EMAIL_BULK_QUEUE}`;
    expect(bulk).toEqual([{ name: EMAIL_BULK_QUEUE, retry_limit: 10 }]);

    const registered = await registerAttendee(db, edition.slug, attendeeRequest("free", "queue-back"), {
      holdMinutes: 35,
    });
    expect(registered.ok).toBe(true);
    const email = await db.emailOutbox.findFirstOrThrow();
    const jobs = await db.$queryRaw<
      { state: string }[]
    >`SELECT state::text AS state FROM pgboss.job WHERE name = ${EMAIL_QUEUE} AND singleton_key = ${email.id}`;
    expect(jobs).toEqual([{ state: "created" }]);
  });
});
