import nodemailer from "nodemailer";
import { requestIdOfEmail } from "@/lib/email/outbox";
import { createBoss, EMAIL_BULK_QUEUE, EMAIL_QUEUES, type EmailJob } from "@/lib/email/queue";
import { withRequestId } from "@/lib/log/context";
import { log } from "@/lib/log/logger";
import { deliverOutboxEmail, type DeliveryDeps } from "./deliver";

/**
 * A transport to the SMTP server. Nothing in the dialogue may hang an email's send for long: nodemailer waits 10
 * minutes of silence by default, with the outbox row locked and the worker's loop taken meanwhile; these bounds make a
 * dead connection an error within seconds, which the queue retries. `SMTP_URL` may set its own (`?socketTimeout=`).
 * `pooled`: that many kept-alive connections instead of one per email: twice the pace to a loopback server
 * (bench:messages), but the app does not use it: twice in CI a pooled send never answered (nodemailer's pool has a
 * history of such races when a server closes an idle connection), an email left locked until the timeout.
 */
export function createSmtpTransport(smtpUrl: string, { pooled = 0 } = {}) {
  const url = new URL(smtpUrl);
  for (const [option, ms] of Object.entries(SMTP_TIMEOUTS_MS)) {
    if (!url.searchParams.has(option)) url.searchParams.set(option, String(ms));
  }
  if (pooled > 0) {
    url.searchParams.set("pool", "true");
    url.searchParams.set("maxConnections", String(pooled));
  }
  return nodemailer.createTransport(url.toString());
}

const SMTP_TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Works the email queues in this process until the returned stop function is called: the transactional queue and
 * the bulk queue (a message's emails) each with `connections` worker loops, each loop sending one email at a time
 * over its own SMTP connection. Separate loops per queue: a confirmation never waits behind a 5,000-address message.
 * `bulkPerSecond` caps the bulk queue's sends (EMAIL_BULK_PER_SECOND; 0: no cap).
 */
export async function startEmailWorker(
  databaseUrl: string,
  deps: DeliveryDeps,
  { pollingIntervalSeconds = 1, connections = 1, bulkPerSecond = 0 } = {},
): Promise<() => Promise<void>> {
  const boss = createBoss(databaseUrl);
  await boss.start();
  const pace = sendPace(bulkPerSecond);
  for (const queue of EMAIL_QUEUES) {
    for (let i = 0; i < connections; i++) {
      const worker: string = await boss.work<EmailJob>(
        queue,
        { pollingIntervalSeconds, batchSize: 1 },
        async ([job]) => {
          const { outboxId } = job.data;
          // As part of the request that queued the email, so that its lines and the request's read together.
          const requestId = (await requestIdOfEmail(deps.db, outboxId)) ?? `job:${job.id}`;
          await withRequestId(requestId, async () => {
            const wait = queue === EMAIL_BULK_QUEUE ? pace.reserve() : 0;
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            const outcome = await deliverOutboxEmail(deps, outboxId);
            log.info({ outboxId, queue, outcome }, "email job");
          });
          // pg-boss waits out the rest of the polling interval after every job, even with more waiting: one email
          // a second. A delivered email may have others behind it, so the next is fetched at once; an empty fetch
          // waits.
          boss.notifyWorker(worker);
        },
      );
    }
  }
  return () => boss.stop({ graceful: true, wait: true, timeout: 10_000 });
}

/**
 * At most `perSecond` sends, shared by the loops that ask: each send takes the next free slot and is told how long to
 * wait for it (0: no cap, never a wait).
 */
export function sendPace(perSecond: number, now: () => number = Date.now) {
  let nextSlot = 0;
  return {
    reserve(): number {
      if (perSecond <= 0) return 0;
      const at = Math.max(now(), nextSlot);
      nextSlot = at + 1000 / perSecond;
      return at - now();
    },
  };
}
