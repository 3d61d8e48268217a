import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { ticketKeys } from "@/lib/tickets/signing-key";
import { createSmtpTransport, startEmailWorker } from "./worker";

/** The app instance's email worker: every instance works the shared queue. */
export async function startAppEmailWorker(): Promise<void> {
  const { SMTP_URL, DATABASE_URL, MAIL_FROM, APP_URL } = env();
  if (!SMTP_URL) {
    console.warn("SMTP_URL is not set: emails stay in the outbox until it is.");
    return;
  }
  await startEmailWorker(DATABASE_URL, { db: db(), transport: createSmtpTransport(SMTP_URL), from: MAIL_FROM, appUrl: APP_URL, signingKey: ticketKeys().privateKey });
}
