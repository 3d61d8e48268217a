import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import type { Env } from "@/lib/env";
import { redriveStalledEmails } from "@/lib/email/redrive";
import { withRequestId } from "@/lib/log/context";
import { log } from "@/lib/log/logger";
import { scrubLogLine } from "@/lib/log/scrub";
import { runMessageSweep } from "@/lib/messages/message-sweep";
import { metrics } from "@/lib/metrics/registry";
import { sendUnnamedReminders } from "@/lib/orders/unnamed-reminders";
import { applyRetention } from "@/lib/privacy/retention";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { settleDueRefunds } from "@/lib/payments/refunds";
import { sendTransferExpiryNotices, sendTransferReminders } from "@/lib/payments/transfer-reminders";
import { QUEUE_TICK_MS } from "@/lib/queue/app-queue";
import { tickQueues } from "@/lib/queue/queue";
import { appNow, testClockNow } from "@/lib/time/clock";
import { releaseDueAllocations } from "@/lib/vouchers/allocations";
import { expireOffers } from "@/lib/waitlist/sweep";

export type SweepDeps = { db: Db; stripe: Stripe | null };
export type SweepSettings = Pick<
  Env,
  | "HOLD_SWEEP_SECONDS"
  | "SLOW_SWEEP_SECONDS"
  | "BLOCK_RELEASE_SECONDS"
  | "WAITLIST_SWEEP_SECONDS"
  | "MESSAGE_SWEEP_SECONDS"
>;
export type Sweep = {
  name: string;
  everyMs: (settings: SweepSettings) => number;
  run: (deps: SweepDeps) => Promise<unknown>;
  /** Left out when Stripe is not configured. */
  needsStripe?: true;
  /** Too frequent to be worth a SweepRun row (four writes a second per instance). */
  unrecorded?: true;
};

/**
 * Every timer an instance runs. Each is safe on several instances at once without any timing between them
 * (docs/operations.md, "Several instances"): SKIP LOCKED (holds, outbox, recipients), the edition lock (blocks,
 * offers), claims (refunds, unnamed reminders, transfer reminders), conditional transitions and unique keys
 * (messages), an advisory lock (re-drive), a tick that changes nothing the second time (queues); dedupe keys on every
 * email. An e2e run can move the sweeps' time forward (TEST_CLOCK_FILE, lib/time/clock.ts); otherwise holds lapse on
 * the database's clock, blocks, offers and messages on this instance's.
 */
export const SWEEPS: readonly Sweep[] = [
  {
    // Lapsed holds, then the buyers of lapsed transfer orders told.
    name: "holds",
    everyMs: (settings) => settings.HOLD_SWEEP_SECONDS * 1000,
    run: async ({ db, stripe }) => {
      await expireLapsedHolds(db, stripe, testClockNow());
      await sendTransferExpiryNotices(db);
    },
  },
  {
    // Counted in days: a look every 10 minutes is soon enough.
    name: "transfer-reminders",
    everyMs: (settings) => settings.SLOW_SWEEP_SECONDS * 1000,
    run: ({ db }) => sendTransferReminders(db),
  },
  {
    // Blocks whose release date has come give their unused seats back to general sale.
    name: "blocks",
    everyMs: (settings) => settings.BLOCK_RELEASE_SECONDS * 1000,
    run: ({ db }) => releaseDueAllocations(db, appNow()),
  },
  {
    // Waiting-list offers past their deadline lapse and pass to the next entry.
    name: "offers",
    everyMs: (settings) => settings.WAITLIST_SWEEP_SECONDS * 1000,
    run: ({ db }) => expireOffers(db, appNow()),
  },
  {
    // Refunds Stripe has not accepted yet, sent again once their backoff has passed.
    name: "refunds",
    everyMs: (settings) => settings.HOLD_SWEEP_SECONDS * 1000,
    run: ({ db, stripe }) => settleDueRefunds(db, stripe!),
    needsStripe: true,
  },
  {
    // Counted in days, like the transfer reminders.
    name: "unnamed-reminders",
    everyMs: (settings) => settings.SLOW_SWEEP_SECONDS * 1000,
    run: ({ db }) => sendUnnamedReminders(db),
  },
  {
    name: "messages",
    everyMs: (settings) => settings.MESSAGE_SWEEP_SECONDS * 1000,
    run: ({ db }) => runMessageSweep(db, appNow()),
  },
  {
    // The open queues' frontiers.
    name: "queue-tick",
    everyMs: () => QUEUE_TICK_MS,
    run: ({ db }) => tickQueues(db),
    unrecorded: true,
  },
  {
    // Emails whose job was lost (an instance stopped between its transaction and the queue's).
    name: "email-redrive",
    everyMs: () => 120_000,
    run: ({ db }) => redriveStalledEmails(db),
  },
  {
    // Attendees of editions past their retention months anonymised (invoices kept); counted in months, so a look
    // every 6 hours is soon enough. One instance at a time (an advisory lock inside).
    name: "retention",
    everyMs: () => 6 * 3_600_000,
    run: ({ db }) => applyRetention(db, appNow()),
  },
];

/** How often each recorded sweep runs, by its SweepRun name: the back office calls a sweep late from it. */
export function sweepIntervalsMs(settings: SweepSettings): Record<string, number> {
  return Object.fromEntries(SWEEPS.filter((sweep) => !sweep.unrecorded).map((s) => [s.name, s.everyMs(settings)]));
}

type Started = { timers: NodeJS.Timeout[]; inFlight: Set<Promise<void>> };
let started: Started | undefined;

/**
 * Starts every sweep of `sweeps` on its own interval. A run still going when the next is due is left to finish, not
 * doubled. `instance` is written into SweepRun, so the back office says which instance ran a sweep last.
 */
export function startSweeps(
  deps: SweepDeps & { settings: SweepSettings; instance: string },
  sweeps: readonly Sweep[] = SWEEPS,
): void {
  if (started) return;
  const state: Started = { timers: [], inFlight: new Set() };
  started = state;
  for (const sweep of sweeps) {
    if (sweep.needsStripe && !deps.stripe) continue;
    let running = false;
    const fire = () => {
      if (running) return;
      running = true;
      const run = runSweep(sweep, deps).finally(() => {
        running = false;
        state.inFlight.delete(run);
      });
      state.inFlight.add(run);
    };
    const everyMs = sweep.everyMs(deps.settings);
    const timer = setInterval(fire, everyMs);
    timer.unref();
    state.timers.push(timer);
    // A slow sweep (retention every 6 hours) would otherwise never run on instances restarted more often than that.
    if (everyMs >= SLOW_SWEEP_MS) {
      const first = setInterval(() => {
        clearInterval(first);
        fire();
      }, FIRST_RUN_MS);
      first.unref();
      state.timers.push(first);
    }
  }
}

/** How soon after start a sweep of an hour or more (SLOW_SWEEP_MS) runs for the first time: the instance settled. */
export const FIRST_RUN_MS = 60_000;
const SLOW_SWEEP_MS = 3_600_000;

/** Stops every sweep: no run starts after the call; resolves once the runs in flight have ended. */
export async function stopSweeps(): Promise<void> {
  const state = started;
  started = undefined;
  if (!state) return;
  for (const timer of state.timers) clearInterval(timer);
  await Promise.all(state.inFlight);
}

/** One run of a sweep, in a log context of its own, timed, and recorded in SweepRun. Never rejects. */
async function runSweep(sweep: Sweep, deps: SweepDeps & { instance: string }): Promise<void> {
  const { name } = sweep;
  const { db, instance } = deps;
  await withRequestId(`sweep:${name}:${randomBytes(4).toString("hex")}`, async () => {
    const began = performance.now();
    let error: string | null = null;
    try {
      if (!sweep.unrecorded) {
        await db.$executeRaw`
          INSERT INTO "SweepRun" (name, instance, "lastStartedAt") VALUES (${name}, ${instance}, now())
          ON CONFLICT (name) DO UPDATE SET instance = EXCLUDED.instance, "lastStartedAt" = EXCLUDED."lastStartedAt"`;
      }
      await sweep.run(deps);
    } catch (failure) {
      error = errorText(failure);
      log.error({ sweep: name, err: failure }, "sweep failed");
    }
    const outcome = error === null ? "ok" : "failed";
    metrics().sweepDuration.observe({ sweep: name, outcome }, (performance.now() - began) / 1000);
    if (sweep.unrecorded) return;
    // A success clears the last error: the back office shows what is wrong now, and lastOkAt since when it is.
    await db.$executeRaw`
      INSERT INTO "SweepRun" AS run (name, instance, "lastStartedAt", "lastFinishedAt", "lastOkAt", "lastError")
      VALUES (${name}, ${instance}, now(), now(), CASE WHEN ${error}::text IS NULL THEN now() END, ${error})
      ON CONFLICT (name) DO UPDATE SET instance = EXCLUDED.instance, "lastFinishedAt" = EXCLUDED."lastFinishedAt",
        "lastOkAt" = coalesce(EXCLUDED."lastOkAt", run."lastOkAt"), "lastError" = EXCLUDED."lastError"`.catch(
      (failure: unknown) => log.warn({ sweep: name, err: failure }, "sweep run not recorded"),
    );
  });
}

/** What SweepRun keeps of a failure: its message, scrubbed as a log line is (the back office shows it). */
export function errorText(failure: unknown): string {
  const message = failure instanceof Error ? failure.message : String(failure);
  return scrubLogLine(message).slice(0, 500);
}
