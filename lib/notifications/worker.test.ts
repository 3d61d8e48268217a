import { createServer, type Socket } from "node:net";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { captureLog } from "@/devtools/testing/log-capture";
import { enqueueOrderConfirmation } from "@/lib/email/outbox";
import { withRequestId } from "@/lib/log/context";
import { registerAttendee } from "@/lib/orders/register";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { createSmtpTransport, sendPace, startEmailWorker } from "./worker";

const { db, url } = await useTestDatabase();
const addressOf = (message: ParsedMail) => (message.to && "text" in message.to ? message.to.text : "");

/**
 * Runs the worker against a fresh SMTP capture until `count` emails arrived, then stops both, so that no worker of
 * one test takes the next one's jobs. An interval far beyond the test's timeout: only the first fetch is free, the
 * others must not wait for it.
 */
async function sendWithWorker(count: number, { pooled = 0, connections = 1 } = {}) {
  const smtp = await startSmtpCapture();
  const transport = createSmtpTransport(smtp.url, { pooled });
  const stop = await startEmailWorker(
    url,
    {
      db,
      transport,
      from: "Guichet <tickets@example.org>",
      appUrl: "http://app.test",
      signingKey: ticketKeysFrom(generateTicketSigningKey()).privateKey,
    },
    { pollingIntervalSeconds: 120, connections },
  );
  try {
    return Object.assign(await smtp.waitForMessages(count, 20_000), { connections: smtp.connections });
  } finally {
    await stop();
    transport.close();
    await smtp.stop();
  }
}

describe("the email worker", () => {
  it("sends queued emails one after another, without waiting a polling interval between them", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (let i = 0; i < 5; i++) {
      const placed = await registerAttendee(db, edition.slug, attendeeRequest("free", `queued-${i}`), {
        holdMinutes: 35,
      });
      expect(placed.ok).toBe(true);
    }
    const messages = await sendWithWorker(5);
    const recipients = messages.map(addressOf);
    expect(recipients.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `ada.queued-${i}@example.org`));
    expect(await db.emailOutbox.count({ where: { order: { editionId: edition.id }, status: "SENT" } })).toBe(5);
  });

  it("keeps its SMTP connections open between emails when pooled, instead of one connection per email", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (let i = 0; i < 6; i++) {
      const placed = await registerAttendee(db, edition.slug, attendeeRequest("free", `pooled-${i}`), {
        holdMinutes: 35,
      });
      expect(placed.ok).toBe(true);
    }
    const sent = await sendWithWorker(6, { pooled: 2, connections: 2 });
    expect(sent.map(addressOf).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `ada.pooled-${i}@example.org`));
    expect(sent.connections).toBeLessThanOrEqual(2);
  });

  it("works the bulk queue beside the transactional one: a confirmation never waits behind a message", async () => {
    const edition = await createEdition(db, { capacity: 20 });
    const register = async (name: string) => {
      const placed = await registerAttendee(db, edition.slug, attendeeRequest("free", name), { holdMinutes: 35 });
      if (!placed.ok) throw new Error(placed.reason);
      return db.emailOutbox.findFirstOrThrow({ where: { orderId: placed.order.id } });
    };
    // Ten emails on the bulk queue, as a message's dispatch queues them (one statement), then one confirmation.
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await register(`bulk-${i}`)).id);
    await db.$executeRaw`DELETE FROM pgboss.job WHERE singleton_key = ANY(${ids})`;
    await db.$queryRaw`SELECT guichet_queue_bulk_email_jobs(${ids}::uuid[])`;
    const confirmation = await register("transactional");

    const messages = await sendWithWorker(11);
    // One loop per queue, each sending one at a time: the confirmation is among the first two, not the eleventh.
    expect(messages.slice(0, 2).map(addressOf)).toContain(confirmation.toAddress);
    expect(await db.emailOutbox.count({ where: { editionId: edition.id, status: "SENT" } })).toBe(11);
  });

  it("sends each email as part of the request that queued it: its log lines carry that request's id", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    // Queued by the placement's own SQL, by enqueueEmail, and with no request around (a job of its own).
    const placed = await withRequestId("r-1-placement", () =>
      registerAttendee(db, edition.slug, attendeeRequest("free", "traced"), { holdMinutes: 35 }),
    );
    if (!placed.ok) throw new Error(placed.reason);
    await withRequestId("r-1-resend", () =>
      db.$transaction((tx) =>
        enqueueOrderConfirmation(tx, placed.order.id, { dedupeKey: "resend", toAddress: "ada.again@example.org" }),
      ),
    );
    const unrelated = await registerAttendee(db, edition.slug, attendeeRequest("free", "untraced"), {
      holdMinutes: 35,
    });
    if (!unrelated.ok) throw new Error(unrelated.reason);
    const outbox = await db.emailOutbox.findMany({ where: { editionId: edition.id }, orderBy: { queuedAt: "asc" } });
    expect(outbox.map((email) => email.requestId)).toEqual(["r-1-placement", "r-1-resend", null]);

    const capture = captureLog();
    try {
      await sendWithWorker(3);
    } finally {
      capture.restore();
    }
    const jobs = capture.lines().filter((line) => line.msg === "email job");
    const reqIdOf = (outboxId: string) => jobs.find((line) => line.outboxId === outboxId)?.reqId;
    expect(reqIdOf(outbox[0].id)).toBe("r-1-placement");
    expect(reqIdOf(outbox[1].id)).toBe("r-1-resend");
    expect(reqIdOf(outbox[2].id)).toMatch(/^job:[0-9a-f-]{36}$/);
    expect(jobs.map((line) => line.outcome)).toEqual(["sent", "sent", "sent"]);
    expect(capture.text()).not.toContain("example.org");
  });
});

describe("the bulk queue's pace (EMAIL_BULK_PER_SECOND)", () => {
  it("gives the loops sending at once one slot each, 1/rate apart, and no wait once the slots are past", () => {
    let now = 10_000;
    const pace = sendPace(4, () => now);
    expect([pace.reserve(), pace.reserve(), pace.reserve()]).toEqual([0, 250, 500]);
    now += 2_000;
    expect([pace.reserve(), pace.reserve()]).toEqual([0, 250]);
    const free = sendPace(0, () => now);
    expect([free.reserve(), free.reserve(), free.reserve()]).toEqual([0, 0, 0]);
  });
});

describe("the SMTP transport", () => {
  it("gives up on a server that never speaks within its bounds, not nodemailer's 10 minutes", async () => {
    // A server that takes the connection and says nothing: a dead relay behind a live port.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      expect(createSmtpTransport(`smtp://127.0.0.1:${port}`).options).toMatchObject({
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      // The URL's own bound wins, so the test waits 0.3 s rather than 10.
      const transport = createSmtpTransport(`smtp://127.0.0.1:${port}?greetingTimeout=300`);
      const send = transport.sendMail({ from: "a@example.org", to: "b@example.org", subject: "-", text: "-" });
      await expect(send).rejects.toThrow(/Greeting never received/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
