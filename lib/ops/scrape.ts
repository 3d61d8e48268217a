import type { Db } from "@/lib/db/prisma";
import { EMAIL_QUEUES } from "@/lib/email/queue";
import { metrics } from "@/lib/metrics/registry";

// The figures Postgres holds, read when Prometheus asks rather than kept up to date by every change: three reads
// per scrape, whatever the traffic. Each instance answers the same values (dashboards take `max by`).

/** pg-boss's states before `completed`: the jobs still to be worked. */
export const UNFINISHED_JOB_STATES = ["created", "retry", "active"] as const;
export type EmailQueueDepth = { queue: string; state: (typeof UNFINISHED_JOB_STATES)[number]; jobs: number }[];

/** Email jobs not finished, per queue and state, every pair present (0 when none). */
export async function readEmailQueueDepth(db: Pick<Db, "$queryRaw">): Promise<EmailQueueDepth> {
  const rows = await db.$queryRaw<{ name: string; state: string; jobs: number }[]>`
    SELECT name, state::text AS state, count(*)::int AS jobs FROM pgboss.job
    WHERE name = ANY(${[...EMAIL_QUEUES]}::text[]) AND state < 'completed' GROUP BY 1, 2`;
  return EMAIL_QUEUES.flatMap((queue) =>
    UNFINISHED_JOB_STATES.map((state) => ({
      queue,
      state,
      jobs: rows.find((row) => row.name === queue && row.state === state)?.jobs ?? 0,
    })),
  );
}

/** Refunds still to be made, or looked at: sent and waiting, failed, or waiting on the buyer's bank. */
export const UNFINISHED_REFUND_STATUSES = ["PENDING", "FAILED", "REQUIRES_ACTION"] as const;

/**
 * Sets the gauges read from the database, then returns the whole registry as Prometheus text. An edition that is no
 * longer open drops out of the seat gauges (reset, then set), rather than keeping its last value.
 */
export async function scrapeMetrics(db: Pick<Db, "$queryRaw">): Promise<string> {
  const { seatsLeft, holds, emailQueueDepth, refundsPending, registry } = metrics();
  const [seats, depth, refunds] = await Promise.all([
    // The counters as the triggers keep them: a lapsed hold counts as held until the hold sweep releases it.
    db.$queryRaw<{ slug: string; left: number; held: number }[]>`
      SELECT e.slug, greatest(0, s.capacity - s.confirmed - s.held - s.reserved) AS left, s.held
      FROM "EditionSeats" s JOIN "Edition" e ON e.id = s."editionId" WHERE s.open`,
    readEmailQueueDepth(db),
    db.$queryRaw<{ kind: "refund" | "orphan"; n: number }[]>`
      SELECT 'refund' AS kind, count(*)::int AS n FROM "Refund"
        WHERE status = ANY(${[...UNFINISHED_REFUND_STATUSES]}::"RefundStatus"[])
      UNION ALL
      SELECT 'orphan', count(*)::int FROM "OrphanPayment"
        WHERE status = ANY(${[...UNFINISHED_REFUND_STATUSES]}::"RefundStatus"[])`,
  ]);
  seatsLeft.reset();
  holds.reset();
  for (const edition of seats) {
    seatsLeft.set({ edition: edition.slug }, edition.left);
    holds.set({ edition: edition.slug }, edition.held);
  }
  for (const { queue, state, jobs } of depth) emailQueueDepth.set({ queue, state }, jobs);
  for (const { kind, n } of refunds) refundsPending.set({ kind }, n);
  return registry.metrics();
}
