import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { listEmailsNeedingAttention, resendOutboxEmail } from "./attention";
import { createBoss, EMAIL_QUEUE } from "./queue";
import { redriveStalledEmails } from "./redrive";

const { db, url } = await useTestDatabase();
// The production policy retries for over half an hour: here one retry, a second later, so a test sees it run out.
const boss = createBoss(url, 1);
await boss.start();
await boss.updateQueue(EMAIL_QUEUE, { name: EMAIL_QUEUE, retryLimit: 1, retryDelay: 1, retryBackoff: false });
await boss.stop({ graceful: false, wait: true });
const { smtp } = await useEmailWorker(db, url, { maxAttempts: 10 });
const actor = { id: "00000000-0000-4000-8000-000000000004", email: "organiser@example.org" };

async function registerFree(locale: "fr" | "en") {
  const edition = await createEdition(db, { capacity: 5 });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID(), { locale }), {
    holdMinutes: 35,
  });
  if (!result.ok) throw new Error(result.reason);
  return {
    edition,
    order: result.order,
    email: await db.emailOutbox.findFirstOrThrow({ where: { orderId: result.order.id } }),
  };
}

const jobStates = async (outboxId: string) =>
  (
    await db.$queryRaw<
      { state: string }[]
    >`SELECT state::text AS state FROM pgboss.job WHERE singleton_key = ${outboxId} ORDER BY created_on`
  ).map((job) => job.state);
const outboxRow = (id: string) => db.emailOutbox.findUniqueOrThrow({ where: { id } });
const about = (reference: string) => smtp.messages.filter((mail) => mail.text?.includes(reference));

describe("an SMTP outage longer than the retries", () => {
  it("loses nothing: the email waits with its error, and the re-drive sends it once SMTP is back", async () => {
    smtp.failNext(4);
    const { order, email } = await registerFree("en");
    await expect.poll(() => jobStates(email.id), { timeout: 20_000 }).toEqual(["failed"]);
    expect(await outboxRow(email.id)).toMatchObject({
      status: "PENDING",
      attempts: 2,
      lastError: expect.stringContaining("451"),
    });

    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(1);
    await expect.poll(() => jobStates(email.id), { timeout: 20_000 }).toEqual(["failed", "failed"]);
    expect(await outboxRow(email.id)).toMatchObject({ status: "PENDING", attempts: 4 });

    // SMTP accepts again.
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(1);
    await expect
      .poll(() => outboxRow(email.id), { timeout: 20_000 })
      .toMatchObject({ status: "SENT", attempts: 5, lastError: null });
    expect(about(order.reference).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Your ticket for /)]);
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(0);
  }, 60_000);
});

describe("an email refused for good", () => {
  it("is FAILED at once with the SMTP answer, listed for organisers, and delivered when resent", async () => {
    smtp.failNext(1, 550);
    const { edition, order, email } = await registerFree("fr");
    await expect
      .poll(() => outboxRow(email.id), { timeout: 20_000 })
      .toMatchObject({ status: "FAILED", attempts: 1, lastError: expect.stringContaining("550") });
    expect(await jobStates(email.id)).toEqual(["completed"]);
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(0);
    expect(await listEmailsNeedingAttention(db, edition.id)).toEqual([
      expect.objectContaining({
        id: email.id,
        status: "FAILED",
        kind: "order_confirmation",
        toAddress: email.toAddress,
        lastError: expect.stringContaining("550"),
        orderReference: order.reference,
      }),
    ]);

    const otherEdition = await createEdition(db, { capacity: 1 });
    expect(await resendOutboxEmail(db, actor, otherEdition.id, email.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await resendOutboxEmail(db, actor, edition.id, email.id)).toEqual({ ok: true });
    await expect.poll(() => outboxRow(email.id), { timeout: 20_000 }).toMatchObject({ status: "SENT" });
    expect(about(order.reference).map((mail) => mail.subject)).toEqual([`Votre billet pour ${edition.nameFr}`]);
    expect(await listEmailsNeedingAttention(db, edition.id)).toEqual([]);
    expect(
      await db.auditEntry.findMany({ where: { editionId: edition.id }, select: { action: true, subjectId: true } }),
    ).toEqual([{ action: "email.resent", subjectId: order.id }]);
    expect(await resendOutboxEmail(db, actor, edition.id, email.id)).toEqual({ ok: false, reason: "not_found" });
  }, 60_000);
});
