import nodemailer from "nodemailer";
import { createBoss, EMAIL_QUEUE, type EmailJob } from "@/lib/email/queue";
import { deliverOutboxEmail, type DeliveryDeps } from "./deliver";

export function createSmtpTransport(smtpUrl: string) {
  return nodemailer.createTransport(smtpUrl);
}

/** Works the email queue in this process until the returned stop function is called. */
export async function startEmailWorker(
  databaseUrl: string,
  deps: DeliveryDeps,
  { pollingIntervalSeconds = 1 } = {},
): Promise<() => Promise<void>> {
  const boss = createBoss(databaseUrl);
  await boss.start();
  await boss.work<EmailJob>(EMAIL_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
    await deliverOutboxEmail(deps, job.data.outboxId);
  });
  return () => boss.stop({ graceful: true, wait: true, timeout: 10_000 });
}
