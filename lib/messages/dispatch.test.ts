import { randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import type { Db } from "@/lib/db/prisma";
import { registerAttendee } from "@/lib/orders/register";
import { chooseRecipients, dispatchMessage, queueRecipients } from "./dispatch";

const { db, url, newClient } = await useTestDatabase();
const { smtp } = await useEmailWorker(db, url);
const now = new Date();

type Edition = Awaited<ReturnType<typeof createEdition>>;

async function attendee(edition: Edition, tag: string, locale: "fr" | "en") {
  const attendee = { firstName: tag, lastName: "Hopper", email: `${tag}.${randomUUID().slice(0, 8)}@example.org` };
  const result = await registerAttendee(
    db,
    edition.slug,
    { ticketType: "free", attendee, locale },
    { holdMinutes: 35 },
  );
  if (!result.ok) throw new Error(result.reason);
  return db.ticket.findFirstOrThrow({ where: { orderId: result.order.id }, include: { order: true } });
}

const newMessage = (edition: Edition, filter: object, data: Record<string, unknown> = {}) =>
  db.message.create({
    data: {
      editionId: edition.id,
      audience: "ATTENDEES",
      filter,
      subjectFr: "Bonjour {{ first_name }}",
      subjectEn: "Hello {{ first_name }}",
      bodyFr: "La salle change. [Votre billet]({{ ticket_url }})",
      bodyEn: "The room changed. [Your ticket]({{ ticket_url }})",
      ...data,
    },
  });

async function state(messageId: string) {
  const recipients = await db.messageRecipient.findMany({ where: { messageId } });
  const outbox = await db.emailOutbox.findMany({ where: { payload: { path: ["messageId"], equals: messageId } } });
  const [{ jobs }] = await db.$queryRaw<{ jobs: number }[]>`
    SELECT count(*)::int AS jobs FROM pgboss.job
     WHERE name = 'email.bulk' AND singleton_key = ANY(${outbox.map((row) => row.id)}::text[])`;
  const message = await db.message.findUniqueOrThrow({ where: { id: messageId } });
  return { recipients, outbox, jobs, message };
}

const headerLine = (mail: ParsedMail, key: string) =>
  mail.headerLines.find((line) => line.key === key)?.line.replace(/\r?\n\s+/g, " ");

async function sentEmails(messageId: string, count: number) {
  for (let i = 0; i < 400; i++) {
    const sent = await db.emailOutbox.findMany({
      where: { status: "SENT", payload: { path: ["messageId"], equals: messageId } },
    });
    if (sent.length >= count) {
      const ids = new Set(sent.map((row) => `<${row.id}@guichet>`));
      await smtp.waitForMessages(smtp.messages.filter((mail) => ids.has(mail.messageId ?? "")).length);
      return smtp.messages.filter((mail) => ids.has(mail.messageId ?? ""));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} emails of ${messageId} were sent`);
}

describe("a message's dispatch", () => {
  it("reaches exactly the attendees filtered 'checked in' over SMTP, each in their language", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const [inFr, outFr, inEn, outEn] = [
      await attendee(edition, "Camille", "fr"),
      await attendee(edition, "Dominique", "fr"),
      await attendee(edition, "Grace", "en"),
      await attendee(edition, "Alan", "en"),
    ];
    await db.ticket.updateMany({ where: { id: { in: [inFr.id, inEn.id] } }, data: { checkedInAt: now } });
    const message = await newMessage(edition, { status: "confirmed", checkedIn: "yes" }, { essential: true });

    expect(await dispatchMessage(db, message.id, now)).toEqual({ dispatched: true, recipients: 2, queued: 2 });
    const emails = await sentEmails(message.id, 2);
    const byAddress = new Map(
      emails.map((mail) => [mail.to && "value" in mail.to ? mail.to.value[0].address : "", mail]),
    );
    expect([...byAddress.keys()].sort()).toEqual([inFr.email, inEn.email].sort());
    const fr = byAddress.get(inFr.email!)!;
    expect(fr.subject).toBe("Bonjour Camille");
    expect(fr.text).toContain("La salle change.");
    expect(fr.html).toContain(`href="http://app.test/fr/orders/${inFr.order.accessToken}"`);
    expect(fr.text?.replace(/\s+/g, " ")).toContain(`inscrit·e à ${edition.nameFr}.`);
    const english = byAddress.get(inEn.email!)!;
    expect(english.subject).toBe("Hello Grace");
    expect(english.html).toContain(`href="http://app.test/en/orders/${inEn.order.accessToken}"`);
    // Essential: no opt-out link, no List-Unsubscribe.
    expect(headerLine(english, "list-unsubscribe")).toBeUndefined();
    expect(english.text).not.toContain("Stop receiving");

    const after = await state(message.id);
    expect(after.message).toMatchObject({ status: "QUEUED", dispatchedAt: now, queuedAt: now });
    const reached = new Set(after.outbox.map((row) => row.toAddress));
    expect(reached.has(outFr.email!) || reached.has(outEn.email!)).toBe(false);
    // A second dispatch (a double click, another instance) does nothing.
    expect(await dispatchMessage(db, message.id, now)).toEqual({ dispatched: false });
    expect((await state(message.id)).outbox).toHaveLength(2);
  });

  it("writes one recipient, one outbox row and one bulk job per address, over several batches", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (const [n, tag] of ["a", "b", "c", "d", "e"].entries()) await attendee(edition, tag, n % 2 ? "fr" : "en");
    const message = await newMessage(edition, {});
    expect(await chooseRecipients(db, message.id, now)).toBe(5);
    expect(await queueRecipients(db, message.id, now, 2)).toBe(5);
    const { recipients, outbox, jobs, message: queued } = await state(message.id);
    expect([recipients.length, outbox.length, jobs]).toEqual([5, 5, 5]);
    expect(new Set(recipients.map((row) => row.outboxId)).size).toBe(5);
    expect(outbox.every((row) => row.kind === "message" && row.editionId === edition.id)).toBe(true);
    expect(queued.status).toBe("QUEUED");
  });

  it("is finished by a later call after a crash between batches, without doubles", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (const tag of ["a", "b", "c", "d", "e"]) await attendee(edition, tag, "en");
    const message = await newMessage(edition, {});
    await chooseRecipients(db, message.id, now);
    // The instance dies as its second batch starts: the first batch committed, the rest is left.
    let batches = 0;
    const crashing = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== "$transaction") return Reflect.get(target, property, receiver);
        return (...args: Parameters<Db["$transaction"]>) =>
          batches++ >= 1 ? Promise.reject(new Error("instance stopped")) : target.$transaction(...args);
      },
    });
    await expect(queueRecipients(crashing, message.id, now, 2)).rejects.toThrow("instance stopped");
    expect(await state(message.id)).toMatchObject({ jobs: 2, message: { status: "QUEUEING" } });

    expect(await queueRecipients(db, message.id, now, 2)).toBe(3);
    const { recipients, outbox, jobs, message: done } = await state(message.id);
    expect([recipients.length, outbox.length, jobs, done.status]).toEqual([5, 5, 5, "QUEUED"]);
  });

  it("goes out once when two instances dispatch it at the same moment", async () => {
    const edition = await createEdition(db, { capacity: 30 });
    for (let n = 0; n < 12; n++) await attendee(edition, `p${n}`, "en");
    const message = await newMessage(edition, {});
    const other = newClient(5);
    const outcomes = await Promise.all([dispatchMessage(db, message.id, now), dispatchMessage(other, message.id, now)]);
    expect(outcomes.filter((outcome) => outcome.dispatched)).toHaveLength(1);
    const { recipients, outbox, jobs } = await state(message.id);
    expect([recipients.length, outbox.length, jobs]).toEqual([12, 12, 12]);
    // Two instances sharing the batches of one message queue each recipient once.
    const shared = await newMessage(edition, {});
    await chooseRecipients(db, shared.id, now);
    const counts = await Promise.all([
      queueRecipients(db, shared.id, now, 3),
      queueRecipients(other, shared.id, now, 3),
    ]);
    expect(counts[0] + counts[1]).toBe(12);
    const after = await state(shared.id);
    expect([after.outbox.length, after.jobs, after.message.status]).toEqual([12, 12, "QUEUED"]);
  });

  it("skips opted-out addresses of a non-essential message, and carries the opt-out link and header", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const stays = await attendee(edition, "Ada", "en");
    const leaves = await attendee(edition, "Bob", "en");
    const { emailHash } = await import("./opt-out");
    await db.emailOptOut.create({ data: { emailHash: emailHash(leaves.email!.toLowerCase()), via: "page" } });
    const message = await newMessage(edition, {});
    expect(await dispatchMessage(db, message.id, now)).toEqual({ dispatched: true, recipients: 2, queued: 1 });
    const [email] = await sentEmails(message.id, 1);
    expect(email.to && "value" in email.to && email.to.value[0].address).toBe(stays.email);
    expect(headerLine(email, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(headerLine(email, "list-unsubscribe")).toMatch(
      /^List-Unsubscribe: <http:\/\/app\.test\/api\/v1\/email-opt-out\/[0-9a-f]{64}\.[\w-]+>$/,
    );
    expect(email.text).toContain("Stop receiving news from the organisers");
    const skipped = await db.messageRecipient.findFirstOrThrow({
      where: { messageId: message.id, skipped: "OPTED_OUT" },
    });
    expect([skipped.toAddress, skipped.outboxId]).toEqual([leaves.email, null]);
    expect((await state(message.id)).message.status).toBe("QUEUED");
  });
});
