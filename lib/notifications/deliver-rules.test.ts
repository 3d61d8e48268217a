import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { resendConfirmation } from "@/lib/attendees/manage";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { cancelFreeRegistration, transferTicket } from "@/lib/tickets/self-service";
import { listEmailsNeedingAttention } from "@/lib/email/attention";
import { deliverOutboxEmail } from "./deliver";
import { redriveStalledEmails } from "@/lib/email/redrive";
import { createSmtpTransport } from "./worker";

// No worker here: each test sends the outbox itself, after whatever happens before the worker would.
const { db } = await useTestDatabase();
const { smtp, deps } = await useDirectDelivery(db);
const actor = { id: "00000000-0000-4000-8000-000000000003", email: "organiser@example.org" };

async function registerFree(locale: "fr" | "en" = "en") {
  const edition = await createEdition(db, { capacity: 5 });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID(), { locale }), {
    holdMinutes: 35,
  });
  if (!result.ok) throw new Error(result.reason);
  return { edition, order: result.order };
}

/** Sends the order's waiting emails in the order they were queued; the outcome of each, by kind. */
async function sendQueued(orderId: string): Promise<Record<string, string>> {
  const emails = await db.emailOutbox.findMany({
    where: { orderId, status: "PENDING" },
    orderBy: { createdAt: "asc" },
  });
  const outcomes: Record<string, string> = {};
  for (const email of emails) outcomes[email.kind] = await deliverOutboxEmail(deps, email.id);
  return outcomes;
}

const to = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : "");
const content = (mail: ParsedMail) => `${mail.subject}\n${mail.text}\n${mail.html}`;

async function closedSmtpUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `smtp://127.0.0.1:${port}`;
}

describe("an email rendered at send time", () => {
  it("is superseded by a transfer made first: the previous holder never gets the new holder's link", async () => {
    const { order, edition } = await registerFree("en");
    const previous = (await db.ticket.findFirstOrThrow({ where: { orderId: order.id } })).email;
    const newcomer = `grace.${randomUUID()}@example.org`;
    expect(
      await transferTicket(db, order.accessToken, { firstName: "Grace", lastName: "Hopper", email: newcomer }),
    ).toMatchObject({ ok: true });
    const { accessToken } = await db.order.findUniqueOrThrow({ where: { id: order.id } });

    expect(await sendQueued(order.id)).toEqual({
      order_confirmation: "superseded",
      ticket_transfer_received: "sent",
      ticket_transfer_sent: "sent",
    });
    const toPrevious = smtp.messages.filter((mail) => to(mail) === previous);
    expect(toPrevious.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/^Your ticket for .* was transferred$/),
    ]);
    expect(toPrevious.some((mail) => content(mail).includes(accessToken))).toBe(false);
    const toNewcomer = smtp.messages.filter((mail) => to(mail) === newcomer);
    expect(toNewcomer.map((mail) => mail.text)).toEqual([expect.stringContaining(`/en/orders/${accessToken}`)]);
    expect(
      await db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id, kind: "order_confirmation" } }),
    ).toMatchObject({ status: "SUPERSEDED", sentAt: null });

    // A confirmation asked for after the transfer is for the new holder, and leaves.
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(await resendConfirmation(db, actor, edition.id, ticket.id)).toMatchObject({ ok: true });
    expect(await sendQueued(order.id)).toEqual({ order_confirmation: "sent" });
    expect(smtp.messages.filter((mail) => to(mail) === newcomer)).toHaveLength(2);
  });

  it("never says 'confirmed' for an order cancelled before its email left: the cancellation goes instead", async () => {
    const { order, edition } = await registerFree("fr");
    const address = (await db.ticket.findFirstOrThrow({ where: { orderId: order.id } })).email;
    expect(await cancelFreeRegistration(db, order.accessToken)).toEqual({ ok: true });
    expect(await sendQueued(order.id)).toEqual({ order_confirmation: "superseded", order_cancelled: "sent" });
    expect(smtp.messages.filter((mail) => to(mail) === address).map((mail) => mail.subject)).toEqual([
      `Votre inscription à ${edition.nameFr} est annulée`,
    ]);
  });
});

describe("an email of a kind this release cannot render", () => {
  it("fails its attempt and stays PENDING for an instance that can, never sent as another kind", async () => {
    const { order } = await registerFree();
    await sendQueued(order.id);
    const sent = smtp.messages.length;
    const id = randomUUID();
    // What a newer release's instance may write during a rolling deploy: an order's email of a kind unknown here.
    await db.$executeRaw`
      INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale)
      VALUES (${id}::uuid, ${`newer:${id}`}, 'kind_from_a_newer_release', ${order.id}::uuid, 'a@example.org', 'en')`;
    await expect(deliverOutboxEmail(deps, id)).rejects.toThrow(
      /no renderer for email kind "kind_from_a_newer_release"/,
    );
    expect(await db.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: expect.stringContaining("no renderer"),
    });
    expect(smtp.messages).toHaveLength(sent);
    // It has no job here (no queue runs in this file): gone, so the re-drive below finds only its own email.
    await db.emailOutbox.delete({ where: { id } });
  });
});

describe("a failing email", () => {
  it("stays PENDING with its error while retries last, then is FAILED and never sent by a stray job", async () => {
    const { order, edition } = await registerFree();
    const email = await db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id } });
    const down = { ...deps, transport: createSmtpTransport(await closedSmtpUrl()), maxAttempts: 2 };
    await expect(deliverOutboxEmail(down, email.id)).rejects.toThrow(/ECONNREFUSED/);
    expect(await db.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(await deliverOutboxEmail(down, email.id)).toBe("failed");
    expect(await db.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
      status: "FAILED",
      attempts: 2,
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(await deliverOutboxEmail(deps, email.id)).toBe("not_pending");
    expect(await listEmailsNeedingAttention(db, edition.id)).toEqual([
      expect.objectContaining({
        id: email.id,
        status: "FAILED",
        attempts: 2,
        orderReference: order.reference,
        lastError: expect.stringMatching(/ECONNREFUSED/),
      }),
    ]);
  });

  it("is listed once it has waited long, and re-driven only when no job is working on it", async () => {
    const { order, edition } = await registerFree();
    const email = await db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id } });
    expect(await listEmailsNeedingAttention(db, edition.id)).toEqual([]);
    await db.emailOutbox.update({ where: { id: email.id }, data: { queuedAt: new Date(Date.now() - 20 * 60_000) } });
    expect(await listEmailsNeedingAttention(db, edition.id)).toEqual([
      expect.objectContaining({ id: email.id, status: "PENDING" }),
    ]);

    // Its job is still waiting for a worker: nothing to re-drive.
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(0);
    // The job is gone (spent, or never created): the re-drive queues exactly one new job.
    await db.$executeRaw`DELETE FROM pgboss.job WHERE singleton_key = ${email.id}`;
    expect(
      await Promise.all([
        redriveStalledEmails(db, { olderThanSeconds: 0 }),
        redriveStalledEmails(db, { olderThanSeconds: 0 }),
      ]),
    ).toContain(1);
    const jobs = await db.$queryRaw<
      { state: string }[]
    >`SELECT state::text AS state FROM pgboss.job WHERE singleton_key = ${email.id}`;
    expect(jobs).toEqual([{ state: "created" }]);
    expect(await redriveStalledEmails(db, { olderThanSeconds: 0 })).toBe(0);
  });
});
