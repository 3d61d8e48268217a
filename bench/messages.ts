// npm run bench:messages — a message's dispatch and delivery, measured (not a test: it prints numbers).
// Seeds editions of MESSAGE_SIZES (500, 5,000, 50,000) confirmed attendees into an embedded Postgres, then sends a
// message to each with dispatchMessage, in this process: time until the message is QUEUED (issue 19's budget: 5,000
// in under 10 s), this process's memory growth while it runs (flat: about the same at every size, since the rows
// never leave Postgres), and recipients = outbox rows = bulk jobs. Then MESSAGE_DRAIN (1,000) recipients' emails go
// through the real email worker (SMTP_CONNECTIONS loops, 4) to a real SMTP server on loopback: emails per second.
import { createEdition } from "@/devtools/testing/fixtures";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { EMAIL_QUEUES } from "@/lib/email/queue";
import { dispatchMessage } from "@/lib/messages/dispatch";
import { createSmtpTransport, startEmailWorker } from "@/lib/notifications/worker";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { benchPool, seedAttendees, startBenchDatabase } from "./support";

const SIZES = (process.env.MESSAGE_SIZES ?? "500,5000,50000").split(",").map(Number);
const DRAIN = Number(process.env.MESSAGE_DRAIN ?? 1000);
const CONNECTIONS = Number(process.env.SMTP_CONNECTIONS ?? 4);
const MB = 1024 * 1024;

async function seededMessage(db: Db, url: string, attendees: number, prefix: string) {
  const edition = await createEdition(db, { capacity: attendees, ticketTypes: [{ code: "standard" }] });
  await seedAttendees(url, edition.id, edition.ticketTypes[0].id, attendees, prefix);
  return db.message.create({
    data: {
      editionId: edition.id,
      audience: "ATTENDEES",
      filter: { status: "confirmed" },
      subjectFr: "Changement de salle pour {{ edition_name }}",
      subjectEn: "Room change for {{ edition_name }}",
      bodyFr: "Bonjour {{ first_name }},\n\nLa conférence a lieu en salle **B**. [Votre billet]({{ ticket_url }})",
      bodyEn: "Hello {{ first_name }},\n\nThe talks are in room **B**. [Your ticket]({{ ticket_url }})",
    },
  });
}

/** Runs `work` while sampling this process's memory every 10 ms: its time and the growth of RSS and heap. */
async function measured<T>(work: () => Promise<T>) {
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 10);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { result, seconds, rssMb: (peakRss - before.rss) / MB, heapMb: (peakHeap - before.heapUsed) / MB };
}

async function main() {
  const database = await startBenchDatabase({ logFile: process.env.BENCH_PG_LOG });
  const { url } = database;
  const admin = benchPool(url, 2);
  const db: Db = createPrismaClient(url, 5);
  let stopWorker: (() => Promise<void>) | undefined;
  let transport: ReturnType<typeof createSmtpTransport> | undefined;
  const smtp = await startSmtpCapture();
  try {
    console.log(`Dispatch (send now, in this process), to confirmed attendees: ${SIZES.join(", ")}`);
    for (const [i, size] of SIZES.entries()) {
      const message = await seededMessage(db, url, size, `M${i}`);
      const run = await measured(() => dispatchMessage(db, message.id, new Date()));
      const { rows } = await admin.query<{ status: string; recipients: number; outbox: number; jobs: number }>(
        `SELECT m.status::text AS status,
                (SELECT count(*) FROM "MessageRecipient" r WHERE r."messageId" = m.id)::int AS recipients,
                (SELECT count(*) FROM "EmailOutbox" o WHERE o.payload->>'messageId' = m.id::text)::int AS outbox,
                (SELECT count(*) FROM pgboss.job j JOIN "MessageRecipient" r ON j.singleton_key = r."outboxId"::text
                  WHERE r."messageId" = m.id AND j.name = 'email.bulk')::int AS jobs
           FROM "Message" m WHERE m.id = $1`,
        [message.id],
      );
      const [check] = rows;
      console.log(
        `${String(size).padStart(6)} recipients: ${check.status} in ${run.seconds.toFixed(2)} s ` +
          `(${Math.round(size / run.seconds).toLocaleString("en")}/s); memory growth RSS ${run.rssMb.toFixed(1)} MB, ` +
          `heap ${run.heapMb.toFixed(1)} MB; recipients ${check.recipients}, outbox ${check.outbox}, ` +
          `jobs ${check.jobs}`,
      );
    }
    // Those jobs stay unsent: the delivery is measured on a message of its own.
    await admin.query(`DELETE FROM pgboss.job WHERE name = 'email.bulk'`);

    const message = await seededMessage(db, url, DRAIN, "D");
    const keys = ticketKeysFrom(generateTicketSigningKey());
    // As the app's worker has it: one kept-alive connection per loop (BENCH_SMTP_POOL=off: one per email).
    transport = createSmtpTransport(smtp.url, {
      pooled: process.env.BENCH_SMTP_POOL === "on" ? CONNECTIONS * EMAIL_QUEUES.length : 0,
    });
    stopWorker = await startEmailWorker(
      url,
      {
        db,
        transport,
        from: "Guichet <tickets@example.org>",
        appUrl: "http://app.test",
        signingKey: keys.privateKey,
        emailLinkKey: "bench-email-link-key-0123456789abcdef",
      },
      { connections: CONNECTIONS },
    );
    const started = performance.now();
    await dispatchMessage(db, message.id, new Date());
    let sent = 0;
    while (sent < DRAIN) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rows } = await admin.query<{ sent: number; failed: number }>(
        `SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent,
                count(*) FILTER (WHERE status = 'FAILED')::int AS failed
           FROM "EmailOutbox" WHERE payload->>'messageId' = $1`,
        [message.id],
      );
      if (rows[0].failed > 0) throw new Error(`${rows[0].failed} emails failed`);
      sent = rows[0].sent;
    }
    const seconds = (performance.now() - started) / 1000;
    const connections = process.env.BENCH_SMTP_POOL === "on" ? "pooled connections" : "a connection per email";
    console.log(
      `Delivery: ${DRAIN} emails through the worker (${CONNECTIONS} loops per queue, ${connections}) ` +
        `to loopback SMTP in ${seconds.toFixed(1)} s: ${(DRAIN / seconds).toFixed(1)} emails/s; ` +
        `${smtp.messages.length} received`,
    );
  } finally {
    await stopWorker?.();
    transport?.close();
    await smtp.stop();
    await db.$disconnect();
    await admin.end();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
