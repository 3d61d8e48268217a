import "server-only";
import { createPrismaClient } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { ticketKeys } from "@/lib/tickets/signing-key";
import { appNow } from "@/lib/time/clock";
import { EMAIL_QUEUES, installJobQueue } from "@/lib/email/queue";
import { emailLinkKeyFrom } from "@/lib/messages/opt-out";
import { startEmailRedriveSweep } from "@/lib/email/redrive-sweep";
import { createSmtpTransport, startEmailWorker } from "./worker";
import { log } from "@/lib/log/logger";

/**
 * The instance's share of email work. The queue is installed first, whatever the settings: every
 * change that emails someone queues a job in its own transaction, and fails without the queue.
 * Then the re-drive of stalled emails, and the worker, which every instance with SMTP runs.
 */
export async function startAppEmail(): Promise<void> {
  const settings = env();
  const { SMTP_URL, DATABASE_URL, MAIL_FROM, APP_URL, SMTP_CONNECTIONS, EMAIL_BULK_PER_SECOND } = settings;
  await installJobQueue(DATABASE_URL);
  startEmailRedriveSweep();
  if (!SMTP_URL) {
    log.warn("SMTP_URL is not set: emails stay in the outbox until it is");
    return;
  }
  const loops = SMTP_CONNECTIONS * EMAIL_QUEUES.length;
  await startEmailWorker(
    DATABASE_URL,
    {
      // A pool of its own: each loop holds a connection for the whole of its send (the outbox row stays locked
      // until SMTP answers), so on the app's pool a slow mail relay would starve registrations. Two more for the
      // reads a render makes beside its transaction.
      db: createPrismaClient(DATABASE_URL, loops + 2),
      // A connection per email (createSmtpTransport says why not pooled).
      transport: createSmtpTransport(SMTP_URL),
      from: MAIL_FROM,
      appUrl: APP_URL,
      signingKey: ticketKeys().privateKey,
      now: appNow,
      emailLinkKey: emailLinkKeyFrom(settings) ?? undefined,
    },
    { connections: SMTP_CONNECTIONS, bulkPerSecond: EMAIL_BULK_PER_SECOND },
  );
}
