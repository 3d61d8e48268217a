import type { Db } from "@/lib/db/prisma";
import { LONG_PENDING_MINUTES } from "@/lib/email/attention";
import { BULK_EMAIL_KINDS } from "@/lib/email/queue";
import { readEmailQueueDepth, UNFINISHED_REFUND_STATUSES, type EmailQueueDepth } from "@/lib/ops/scrape";

// The back office's "Background work" page (docs/operations.md, "Metrics"): what the workers and sweeps of every
// instance left undone, read from Postgres, so any instance shows the same page.

/** A sweep is late once its last good run is this many intervals old: one slow or failed run is not yet a problem. */
export const LATE_AFTER_INTERVALS = 3;
export const FAILED_EMAIL_DAYS = 7;
/** Rows shown per list: the page says how many there are in all. */
export const SHOWN = 10;
const SHOWN_REFUNDS = 50;

/** The order a row is about, for a link to its page; null when it has none. */
export type OrderLink = { reference: string; editionSlug: string } | null;
type EditionName = { nameFr: string; nameEn: string } | null;

export type EmailRow = {
  id: string;
  kind: string;
  status: "FAILED" | "PENDING";
  attempts: number;
  lastError: string | null;
  queuedAt: Date;
  edition: EditionName;
  order: OrderLink;
};

export type RefundRow = {
  kind: "refund" | "orphan";
  id: string;
  status: string;
  amountCents: number;
  currency: string;
  reason: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
  order: OrderLink;
};

export type SweepRow = {
  name: string;
  /** Null for a name this release does not know (a newer release's sweep): never judged late. */
  everyMs: number | null;
  /** Null, with the times, for a sweep of this release that has not run yet on any instance. */
  instance: string | null;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastOkAt: Date | null;
  lastError: string | null;
  late: boolean;
};

export type WebhookFailureRow = {
  eventId: string;
  type: string;
  attempts: number;
  lastError: string;
  firstFailedAt: Date;
  lastFailedAt: Date;
};

export type BackgroundWork = {
  email: {
    depth: EmailQueueDepth;
    /** FAILED, queued within FAILED_EMAIL_DAYS: the latest first. */
    failed: { count: number; rows: EmailRow[] };
    /** PENDING, queued LONG_PENDING_MINUTES ago or more (organisers' messages aside): the oldest first. */
    waiting: { count: number; rows: EmailRow[] };
  };
  /** Refunds and orphan payments neither made nor given up, the oldest first. */
  refunds: { count: number; rows: RefundRow[] };
  /** Every sweep's last run; this release's sweeps that have not run yet are listed without one. */
  sweeps: SweepRow[];
  /** Events answered 500 and not handled since. */
  webhooks: WebhookFailureRow[];
};

const orderLink = (order: { reference: string; edition: { slug: string } } | null): OrderLink =>
  order ? { reference: order.reference, editionSlug: order.edition.slug } : null;

const withOrder = { select: { reference: true, edition: { select: { slug: true } } } } as const;
const UNFINISHED = { in: [...UNFINISHED_REFUND_STATUSES] };

/** Everything the "Background work" page shows, read at `now`. */
export async function readBackgroundWork(
  db: Db,
  { now = new Date(), intervalsMs }: { now?: Date; intervalsMs: Record<string, number> },
): Promise<BackgroundWork> {
  const failedWhere = {
    status: "FAILED" as const,
    queuedAt: { gte: new Date(now.getTime() - FAILED_EMAIL_DAYS * 86_400_000) },
  };
  // An organisers' message leaves at the bulk rate, so its emails wait long by design: its page shows the progress.
  const waitingWhere = {
    status: "PENDING" as const,
    queuedAt: { lte: new Date(now.getTime() - LONG_PENDING_MINUTES * 60_000) },
    kind: { notIn: [...BULK_EMAIL_KINDS] },
  };
  const emailInclude = { order: withOrder, edition: { select: { nameFr: true, nameEn: true } } } as const;
  const [depth, failedCount, failed, waitingCount, waiting, refunds, orphans, refundCounts, sweeps, webhooks] =
    await Promise.all([
      readEmailQueueDepth(db),
      db.emailOutbox.count({ where: failedWhere }),
      db.emailOutbox.findMany({
        where: failedWhere,
        include: emailInclude,
        orderBy: { queuedAt: "desc" },
        take: SHOWN,
      }),
      db.emailOutbox.count({ where: waitingWhere }),
      db.emailOutbox.findMany({
        where: waitingWhere,
        include: emailInclude,
        orderBy: { queuedAt: "asc" },
        take: SHOWN,
      }),
      db.refund.findMany({
        where: { status: UNFINISHED },
        include: { order: withOrder },
        orderBy: { createdAt: "asc" },
        take: SHOWN_REFUNDS,
      }),
      db.orphanPayment.findMany({
        where: { status: UNFINISHED },
        include: { order: withOrder },
        orderBy: { createdAt: "asc" },
        take: SHOWN_REFUNDS,
      }),
      Promise.all([
        db.refund.count({ where: { status: UNFINISHED } }),
        db.orphanPayment.count({ where: { status: UNFINISHED } }),
      ]),
      db.sweepRun.findMany({ orderBy: { name: "asc" } }),
      db.$queryRaw<WebhookFailureRow[]>`
        SELECT f."eventId", f.type, f.attempts, f."lastError", f."firstFailedAt", f."lastFailedAt"
        FROM "StripeEventFailure" f
        WHERE NOT EXISTS (SELECT 1 FROM "StripeEvent" e WHERE e.id = f."eventId")
        ORDER BY f."lastFailedAt" DESC LIMIT ${SHOWN_REFUNDS}`,
    ]);
  const emailRow = (row: (typeof failed)[number]): EmailRow => ({
    id: row.id,
    kind: row.kind,
    status: row.status as EmailRow["status"],
    attempts: row.attempts,
    lastError: row.lastError,
    queuedAt: row.queuedAt,
    edition: row.edition,
    order: orderLink(row.order),
  });
  const refundRow =
    (kind: RefundRow["kind"]) =>
    (row: (typeof refunds)[number] | (typeof orphans)[number]): RefundRow => ({
      kind,
      id: row.id,
      status: row.status,
      amountCents: row.amountCents,
      currency: row.currency,
      reason: row.reason,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: row.createdAt,
      nextAttemptAt: row.nextAttemptAt,
      order: orderLink(row.order),
    });
  return {
    email: {
      depth,
      failed: { count: failedCount, rows: failed.map(emailRow) },
      waiting: { count: waitingCount, rows: waiting.map(emailRow) },
    },
    refunds: {
      count: refundCounts[0] + refundCounts[1],
      rows: [...refunds.map(refundRow("refund")), ...orphans.map(refundRow("orphan"))]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, SHOWN_REFUNDS),
    },
    sweeps: [
      ...sweeps.map((run) => {
        const everyMs = intervalsMs[run.name] ?? null;
        const okSince = run.lastOkAt?.getTime() ?? -Infinity;
        return { ...run, everyMs, late: everyMs !== null && now.getTime() - okSince > LATE_AFTER_INTERVALS * everyMs };
      }),
      ...Object.entries(intervalsMs)
        .filter(([name]) => !sweeps.some((run) => run.name === name))
        .map(([name, everyMs]) => ({
          name,
          everyMs,
          instance: null,
          lastStartedAt: null,
          lastFinishedAt: null,
          lastOkAt: null,
          lastError: null,
          late: false,
        })),
    ],
    webhooks,
  };
}
