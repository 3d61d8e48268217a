import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { listEmailsNeedingAttention, resendOutboxEmail } from "./attention";
import { enqueueEmail } from "./outbox";
import { EMAIL_BULK_QUEUE, EMAIL_QUEUE } from "./queue";
import { redriveStalledEmails } from "./redrive";

// No worker: jobs stay where they were queued, for the assertions.
const { db } = await useTestDatabase(4);
const actor = { id: "00000000-0000-4000-8000-000000000005", email: "organiser@example.org" };
const longAgo = new Date(Date.now() - 60 * 60_000);

const jobsOf = (outboxId: string) =>
  db.$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.job WHERE singleton_key = ${outboxId} ORDER BY created_on`;

// A message's email as a dispatch batch writes it: its edition given, its job on the bulk queue.
async function messageEmail(editionId: string, status: "PENDING" | "FAILED") {
  const id = randomUUID();
  await db.$executeRaw`
    INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "editionId", "toAddress", locale, status, "queuedAt")
    VALUES (${id}::uuid, ${`message:test:${id}`}, 'message', ${editionId}::uuid, ${`m-${id}@example.org`}, 'fr',
            ${status}::"EmailStatus", ${longAgo})`;
  return id;
}

describe("the emails needing attention", () => {
  it("include an edition's emails about no order (the waiting list's), found by the email's own edition", async () => {
    const edition = await createEdition(db, { capacity: 1 });
    const other = await createEdition(db, { capacity: 1 });
    const entry = await addTestEntry(db, edition);
    await db.$transaction((tx) =>
      enqueueEmail(tx, {
        dedupeKey: `waitlist-joined:${entry.id}`,
        kind: "waitlist_joined",
        toAddress: entry.email,
        locale: "en",
        payload: { entryId: entry.id },
      }),
    );
    const email = await db.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `waitlist-joined:${entry.id}` } });
    expect(email).toMatchObject({ orderId: null, editionId: edition.id });
    await db.emailOutbox.update({ where: { id: email.id }, data: { status: "FAILED", lastError: "550 no such user" } });

    expect(await listEmailsNeedingAttention(db, edition.id)).toEqual([
      expect.objectContaining({ id: email.id, kind: "waitlist_joined", status: "FAILED", orderReference: null }),
    ]);
    expect(await listEmailsNeedingAttention(db, other.id)).toEqual([]);

    // Resent: on the transactional queue, audited about its entry; another edition's organisers cannot resend it.
    expect(await resendOutboxEmail(db, actor, other.id, email.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await resendOutboxEmail(db, actor, edition.id, email.id)).toEqual({ ok: true });
    expect(await jobsOf(email.id)).toEqual([{ name: EMAIL_QUEUE }, { name: EMAIL_QUEUE }]);
    expect(await db.auditEntry.findFirst({ where: { action: "email.resent", editionId: edition.id } })).toMatchObject({
      subjectType: "waitlist_entry",
      subjectId: entry.id,
    });
  });

  it("list a message's failed emails but not its waiting ones, whose progress the message shows", async () => {
    const edition = await createEdition(db, { capacity: 1 });
    const waiting = await messageEmail(edition.id, "PENDING");
    const failed = await messageEmail(edition.id, "FAILED");
    expect((await listEmailsNeedingAttention(db, edition.id)).map((email) => email.id)).toEqual([failed]);

    // A message's email goes back to the bulk queue, whether resent by an organiser or re-driven.
    expect(await resendOutboxEmail(db, actor, edition.id, failed)).toEqual({ ok: true });
    expect(await jobsOf(failed)).toEqual([{ name: EMAIL_BULK_QUEUE }]);
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(1);
    expect(await jobsOf(waiting)).toEqual([{ name: EMAIL_BULK_QUEUE }]);
    // A job waiting on the bulk queue is a live one: nothing more to re-drive.
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(0);
  });
});
