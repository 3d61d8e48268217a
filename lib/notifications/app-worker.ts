import "server-only";
import { createPrismaClient } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { ticketKeys } from "@/lib/tickets/signing-key";
import { appNow } from "@/lib/time/clock";
import { EMAIL_QUEUES, installJobQueue } from "@/lib/email/queue";
import { emailLinkKeyFrom } from "@/lib/messages/opt-out";
import { log } from "@/lib/log/logger";
import { createSmtpTransport, startEmailWorker } from "./worker";

/**
 * The instance's share of email work. The queue is installed first, whatever the settings: every
 * change that emails someone queues a job in its own transaction, and fails without the queue.
 * Then the worker, which every instance with SMTP runs. Resolves to the worker's stop (none without SMTP): jobs in
 * hand are finished, for up to 10 s, before the queue, the SMTP transport and the worker's pool are closed.
 */
export async function startAppEmail(): Promise<(() => Promise<void>) | null> {
  const settings = env();
  const { SMTP_URL, DATABASE_URL, MAIL_FROM, APP_URL, SMTP_CONNECTIONS, EMAIL_BULK_PER_SECOND } = settings;
  await installJobQueue(DATABASE_URL);
  if (!SMTP_URL) {
    log.warn("SMTP_URL is not set: emails stay in the outbox until it is.");
    return null;
  }
  const loops = SMTP_CONNECTIONS * EMAIL_QUEUES.length;
  // A pool of its own: each loop holds a connection for the whole of its send (the outbox row stays locked until SMTP
  // answers), so on the app's pool a slow mail relay would starve registrations. Two more for the reads a render
  // makes beside its transaction.
  const workerDb = createPrismaClient(DATABASE_URL, loops + 2);
  // A connection per email (createSmtpTransport says why not pooled).
  const transport = createSmtpTransport(SMTP_URL);
  const stopWorker = await startEmailWorker(
    DATABASE_URL,
    {
      db: workerDb,
      transport,
      from: MAIL_FROM,
      appUrl: APP_URL,
      signingKey: ticketKeys().privateKey,
      now: appNow,
      emailLinkKey: emailLinkKeyFrom(settings) ?? undefined,
    },
    { connections: SMTP_CONNECTIONS, bulkPerSecond: EMAIL_BULK_PER_SECOND },
  );
  return async () => {
    await stopWorker();
    transport.close();
    await workerDb.$disconnect();
  };
}
