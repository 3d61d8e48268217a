import "server-only";
import { db, type Db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { appNow } from "@/lib/time/clock";
import { chooseRecipients, queueRecipients } from "./dispatch";

/**
 * Every instance sweeps messages every MESSAGE_SWEEP_SECONDS on the app's clock (an e2e run moves it): the conditional
 * transition and the unique keys, not timing, keep a message from leaving twice. A sweep still running when the next
 * is due is left to finish.
 */
export function startMessageSweep() {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runMessageSweep(db(), appNow())
      .catch((error) => console.error("message sweep failed", error))
      .finally(() => (running = false));
  }, env().MESSAGE_SWEEP_SECONDS * 1000);
  timer.unref();
}

/** Scheduled messages started per sweep: the rest wait for the next one, seconds later. */
const DUE_PER_SWEEP = 5;

/**
 * One sweep of the messages, with `now` passed into every statement (no database clock: a test or an e2e run decides
 * the time): scheduled messages whose time has come are dispatched, and every dispatch left unfinished (an instance
 * stopped between batches, or a message another instance is still queueing) gets its remaining batches. Two instances
 * sweeping at once send a message once: its conditional transition happens once, and its recipients are shared by
 * SKIP LOCKED under the unique keys.
 */
export async function runMessageSweep(db: Db, now: Date): Promise<{ dispatched: number; queued: number }> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Message" WHERE status = 'SCHEDULED' AND "sendAt" <= ${now}
     ORDER BY "sendAt", id LIMIT ${DUE_PER_SWEEP}`;
  let dispatched = 0;
  for (const { id } of due) if ((await chooseRecipients(db, id, now)) !== null) dispatched += 1;
  const unfinished = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Message" WHERE status = 'QUEUEING' ORDER BY "dispatchedAt", id`;
  let queued = 0;
  for (const { id } of unfinished) queued += await queueRecipients(db, id, now);
  return { dispatched, queued };
}
