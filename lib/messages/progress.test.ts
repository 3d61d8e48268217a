import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "@/lib/orders/register";
import { chooseRecipients, dispatchMessage, queueRecipients } from "./dispatch";
import { emailHash } from "./opt-out";
import { cancelMessage, messageProgress, resendFailed } from "./progress";

const { db } = await useTestDatabase();
const now = new Date();

async function messageTo(attendees: number) {
  const edition = await createEdition(db, { capacity: attendees + 5 });
  const emails: string[] = [];
  for (let n = 0; n < attendees; n++) {
    const attendee = { firstName: `P${n}`, lastName: "Test", email: `p${n}.${randomUUID().slice(0, 8)}@example.org` };
    const result = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee, locale: "en" },
      { holdMinutes: 35 },
    );
    if (!result.ok) throw new Error(result.reason);
    emails.push(attendee.email);
  }
  const message = await db.message.create({
    data: { editionId: edition.id, audience: "ATTENDEES", subjectEn: "News", bodyEn: "Hello" },
  });
  return { message, emails };
}

const outboxOf = (messageId: string) =>
  db.emailOutbox.findMany({ where: { payload: { path: ["messageId"], equals: messageId } }, orderBy: { id: "asc" } });

describe("a message's progress and its cancellation", () => {
  it("counts skipped, unqueued, pending, sent, failed and superseded from the recipients and the outbox", async () => {
    const { message, emails } = await messageTo(5);
    await db.emailOptOut.create({ data: { emailHash: emailHash(emails[0]), via: "page" } });
    await chooseRecipients(db, message.id, now);
    expect(await messageProgress(db, message.id)).toEqual({
      total: 5,
      skipped: 1,
      unqueued: 4,
      pending: 0,
      sent: 0,
      failed: 0,
      superseded: 0,
    });
    await queueRecipients(db, message.id, now);
    const [sent, failed] = await outboxOf(message.id);
    await db.emailOutbox.update({ where: { id: sent.id }, data: { status: "SENT", sentAt: now } });
    await db.emailOutbox.update({
      where: { id: failed.id },
      data: { status: "FAILED", lastError: "550 no such user" },
    });
    expect(await messageProgress(db, message.id)).toMatchObject({ unqueued: 0, pending: 2, sent: 1, failed: 1 });

    expect(await cancelMessage(db, message.id, now)).toEqual({ cancelled: true, superseded: 2 });
    expect(await messageProgress(db, message.id)).toMatchObject({ pending: 0, sent: 1, failed: 1, superseded: 2 });
    const cancelled = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect([cancelled.status, cancelled.cancelledAt]).toEqual(["CANCELLED", now]);
    expect(await cancelMessage(db, message.id, now)).toEqual({ cancelled: false, reason: "cancelled" });
  });

  it("sends the failed again, each with a new bulk job; not once the message is cancelled", async () => {
    const { message } = await messageTo(3);
    await dispatchMessage(db, message.id, now);
    const [failed, other] = await outboxOf(message.id);
    await db.emailOutbox.update({
      where: { id: failed.id },
      data: { status: "FAILED", attempts: 44, lastError: "550 no such user" },
    });
    const jobs = async () =>
      (
        await db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'email.bulk' AND singleton_key = ${failed.id}`
      )[0].n;
    expect(await jobs()).toBe(1);
    expect(await resendFailed(db, message.id, now)).toBe(1);
    expect(await db.emailOutbox.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
    });
    expect(await jobs()).toBe(2);
    expect(await resendFailed(db, message.id, now)).toBe(0);

    await db.emailOutbox.update({ where: { id: other.id }, data: { status: "FAILED" } });
    await cancelMessage(db, message.id, now);
    expect(await resendFailed(db, message.id, now)).toBe(0);
    expect((await db.emailOutbox.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("FAILED");
  });

  it("stops a dispatch under way: no batch is queued after the cancel, and the sweep's call does nothing", async () => {
    const { message } = await messageTo(3);
    await chooseRecipients(db, message.id, now);
    await cancelMessage(db, message.id, now);
    expect(await queueRecipients(db, message.id, now)).toBe(0);
    expect(await outboxOf(message.id)).toEqual([]);
    expect(await dispatchMessage(db, message.id, now)).toEqual({ dispatched: false });
    expect((await db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("CANCELLED");
  });
});
