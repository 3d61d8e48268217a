import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "@/lib/orders/register";
import { chooseRecipients, queueRecipients } from "./dispatch";
import { emailHash } from "./opt-out";
import { listMessageRecipients, recipientListQuerySchema, RECIPIENTS_PER_PAGE } from "./recipient-list";

const { db } = await useTestDatabase();
const now = new Date();

/** A message to `count` attendees p000…, chosen; the first opted out, so it is skipped. */
async function chosenMessage(count: number) {
  const edition = await createEdition(db, { capacity: count + 5 });
  const tag = randomUUID().slice(0, 8);
  const emails: string[] = [];
  for (let n = 0; n < count; n++) {
    const email = `p${String(n).padStart(3, "0")}.${tag}@example.org`;
    const attendee = { firstName: `P${n}`, lastName: "Test", email };
    const result = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee, locale: n % 2 ? "fr" : "en" },
      { holdMinutes: 35 },
    );
    if (!result.ok) throw new Error(result.reason);
    emails.push(email);
  }
  await db.emailOptOut.create({ data: { emailHash: emailHash(emails[0]), via: "page" } });
  const message = await db.message.create({
    data: { editionId: edition.id, audience: "ATTENDEES", subjectEn: "News", bodyEn: "Hello" },
  });
  await chooseRecipients(db, message.id, now);
  return { message, emails };
}

const query = (raw: Record<string, string>) => recipientListQuerySchema.parse(raw);

describe("a message's recipients table", () => {
  it("filters by state, with each email's SMTP answer, and pages by 50 in address order", async () => {
    const { message, emails } = await chosenMessage(55);
    await queueRecipients(db, message.id, now);
    const outboxOf = async (email: string) =>
      (await db.messageRecipient.findFirstOrThrow({ where: { messageId: message.id, toAddress: email } })).outboxId!;
    await db.emailOutbox.update({
      where: { id: await outboxOf(emails[1]) },
      data: { status: "FAILED", lastError: "550 5.1.1 mailbox unknown" },
    });
    await db.emailOutbox.update({ where: { id: await outboxOf(emails[2]) }, data: { status: "SENT", sentAt: now } });
    await db.emailOutbox.update({
      where: { id: await outboxOf(emails[3]) },
      data: { status: "SUPERSEDED", lastError: "ticket changed holder" },
    });

    const first = await listMessageRecipients(db, message.id, query({}));
    expect([first.total, first.pages, first.page, first.rows.length]).toEqual([55, 2, 1, RECIPIENTS_PER_PAGE]);
    expect(first.rows.slice(0, 5).map((row) => [row.toAddress, row.state, row.lastError])).toEqual([
      [emails[0], "skipped", null],
      [emails[1], "failed", "550 5.1.1 mailbox unknown"],
      [emails[2], "sent", null],
      [emails[3], "superseded", "ticket changed holder"],
      [emails[4], "pending", null],
    ]);
    expect(first.rows[1]).toMatchObject({ firstName: "P1", locale: "fr" });
    const second = await listMessageRecipients(db, message.id, query({ page: "2" }));
    expect(second.rows.map((row) => row.toAddress)).toEqual(emails.slice(50));

    const failed = await listMessageRecipients(db, message.id, query({ state: "failed" }));
    expect([failed.total, failed.rows.map((row) => row.toAddress)]).toEqual([1, [emails[1]]]);
    const pending = await listMessageRecipients(db, message.id, query({ state: "pending", page: "2" }));
    expect([pending.total, pending.pages, pending.rows.map((row) => row.toAddress)]).toEqual([51, 2, [emails[54]]]);
    expect((await listMessageRecipients(db, message.id, query({ state: "sent" }))).rows[0].sentAt).toEqual(now);
  });

  it("lists chosen recipients not queued yet, and takes a bad query string as the default", async () => {
    const { message } = await chosenMessage(3);
    const unqueued = await listMessageRecipients(db, message.id, query({ state: "unqueued" }));
    expect(unqueued.total).toBe(2);
    expect(query({ state: "bounced", page: "-3" })).toEqual({ state: undefined, page: 1 });
    expect(query({ page: "abc" })).toEqual({ state: undefined, page: 1 });
    const beyond = await listMessageRecipients(db, message.id, query({ page: "9" }));
    expect([beyond.total, beyond.rows]).toEqual([3, []]);
  });
});
