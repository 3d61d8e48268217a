import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { DataTable } from "@/components/admin/data-table";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { LONG_PENDING_MINUTES } from "@/lib/email/attention";
import { EMAIL_BULK_QUEUE, EMAIL_QUEUES } from "@/lib/email/queue";
import { env } from "@/lib/env";
import { adminOrderPath } from "@/lib/http/paths";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { UNFINISHED_JOB_STATES } from "@/lib/ops/scrape";
import {
  FAILED_EMAIL_DAYS,
  LATE_AFTER_INTERVALS,
  readBackgroundWork,
  SHOWN,
  type EmailRow,
  type OrderLink,
} from "@/lib/ops/background";
import { sweepIntervalsMs } from "@/lib/ops/sweeps";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("systemAdmin"))("title") };
}

// The work belongs to no edition: shown in Paris time, where the organisers are (as the transfers page).
const TIME_ZONE = "Europe/Paris";

/** What the background workers and sweeps of every instance left undone: admins only. */
export default async function SystemPage() {
  await requirePermission("users:manage");
  const locale = await currentLocale();
  const t = await getTranslations("systemAdmin");
  const emails = await getTranslations("emails");
  const work = await readBackgroundWork(db(), { intervalsMs: sweepIntervalsMs(env()) });
  const time = (date: Date | null, none: string) => (date ? formatDateTime(date, TIME_ZONE, locale) : none);
  const orderCell = (order: OrderLink, none: string) =>
    order ? <Link href={adminOrderPath(order.editionSlug, order.reference)}>{order.reference}</Link> : none;
  const kindName = (kind: string) => (emails.has(`kind.${kind}`) ? emails(`kind.${kind}`) : kind);
  const errorCell = (error: string | null) =>
    error ? <code className="wrap-anywhere">{error}</code> : <span className="muted">{t("email.noError")}</span>;
  const every = (ms: number | null) => {
    if (ms === null) return t("sweeps.unknownInterval");
    if (ms < 120_000) return t("sweeps.everySeconds", { n: ms / 1000 });
    if (ms < 7_200_000) return t("sweeps.everyMinutes", { n: ms / 60_000 });
    return t("sweeps.everyHours", { n: ms / 3_600_000 });
  };
  const emailTable = (rows: EmailRow[], caption: string) => (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(email) => email.id}
      columns={[
        { header: t("email.queuedAt"), cell: (email) => time(email.queuedAt, "") },
        {
          header: t("email.email"),
          rowHeader: true,
          cell: (email) => (
            <>
              {kindName(email.kind)}
              {email.order && (
                <>
                  <br />
                  <Link href={adminOrderPath(email.order.editionSlug, email.order.reference)} className="muted">
                    {t("email.order", { reference: email.order.reference })}
                  </Link>
                </>
              )}
            </>
          ),
        },
        {
          header: t("email.edition"),
          cell: (email) => (email.edition ? localized(email.edition, "name", locale) : ""),
        },
        { header: t("email.attempts"), number: true, cell: (email) => email.attempts },
        { header: t("email.lastError"), cell: (email) => errorCell(email.lastError) },
      ]}
    />
  );
  const { failed, waiting } = work.email;
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>

      <section aria-labelledby="system-email">
        <h2 id="system-email">{t("email.title")}</h2>
        <DataTable
          caption={t("email.depthCaption")}
          rows={EMAIL_QUEUES.map((queue) => ({
            queue,
            jobs: (state: string) => work.email.depth.find((row) => row.queue === queue && row.state === state)?.jobs,
          }))}
          rowKey={(row) => row.queue}
          columns={[
            {
              header: t("email.queue"),
              rowHeader: true,
              cell: (row) => t(`email.queueName.${row.queue === EMAIL_BULK_QUEUE ? "bulk" : "send"}`),
            },
            ...UNFINISHED_JOB_STATES.map((state) => ({
              header: t(`email.stateName.${state}`),
              number: true,
              cell: (row: { jobs: (state: string) => number | undefined }) => row.jobs(state) ?? 0,
            })),
          ]}
        />
        <h3>{t("email.failedTitle", { days: FAILED_EMAIL_DAYS, count: failed.count })}</h3>
        {failed.count > SHOWN && <p className="muted">{t("email.shownLatest", { shown: SHOWN })}</p>}
        {failed.rows.length > 0 && emailTable(failed.rows, t("email.failedCaption"))}
        <h3>{t("email.waitingTitle", { minutes: LONG_PENDING_MINUTES, count: waiting.count })}</h3>
        {waiting.count > SHOWN && <p className="muted">{t("email.shownOldest", { shown: SHOWN })}</p>}
        {waiting.rows.length > 0 && emailTable(waiting.rows, t("email.waitingCaption"))}
      </section>

      <section aria-labelledby="system-refunds">
        <h2 id="system-refunds">{t("refunds.title", { count: work.refunds.count })}</h2>
        <p className="muted">{t("refunds.intro")}</p>
        {work.refunds.rows.length === 0 ? (
          <p>{t("none")}</p>
        ) : (
          <DataTable
            caption={t("refunds.caption")}
            rows={work.refunds.rows}
            rowKey={(row) => `${row.kind}:${row.id}`}
            columns={[
              { header: t("refunds.createdAt"), cell: (row) => time(row.createdAt, "") },
              { header: t("refunds.kind"), cell: (row) => t(`refunds.kindName.${row.kind}`) },
              {
                header: t("refunds.order"),
                rowHeader: true,
                cell: (row) => orderCell(row.order, t("refunds.noOrder")),
              },
              {
                header: t("refunds.amount"),
                number: true,
                cell: (row) => formatMoney(row.amountCents, row.currency, locale),
              },
              {
                header: t("refunds.status"),
                cell: (row) => (
                  <span className={`badge ${row.status === "PENDING" ? "status-pending" : "badge-full"}`}>
                    {t(`refunds.statusName.${row.status as "PENDING" | "FAILED" | "REQUIRES_ACTION"}`)}
                  </span>
                ),
              },
              { header: t("refunds.attempts"), number: true, cell: (row) => row.attempts },
              {
                header: t("refunds.nextAttemptAt"),
                cell: (row) => time(row.nextAttemptAt, t("refunds.noNextAttempt")),
              },
              { header: t("refunds.lastError"), cell: (row) => errorCell(row.lastError) },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="system-sweeps">
        <h2 id="system-sweeps">{t("sweeps.title")}</h2>
        <p className="muted">{t("sweeps.intro", { intervals: LATE_AFTER_INTERVALS })}</p>
        {work.sweeps.length === 0 ? (
          <p>{t("sweeps.none")}</p>
        ) : (
          <DataTable
            caption={t("sweeps.caption")}
            rows={work.sweeps}
            rowKey={(sweep) => sweep.name}
            testId="sweeps"
            columns={[
              {
                header: t("sweeps.name"),
                rowHeader: true,
                cell: (sweep) => (
                  <>
                    {t.has(`sweeps.names.${sweep.name}`) ? t(`sweeps.names.${sweep.name}`) : sweep.name}
                    <br />
                    <code className="muted">{sweep.name}</code>
                  </>
                ),
              },
              {
                header: t("sweeps.state"),
                cell: (sweep) => (
                  <span className={`badge ${sweep.late ? "badge-full" : "badge-ok"}`}>
                    {t(sweep.lastStartedAt === null ? "sweeps.notYet" : sweep.late ? "sweeps.late" : "sweeps.onTime")}
                  </span>
                ),
              },
              { header: t("sweeps.every"), cell: (sweep) => every(sweep.everyMs) },
              {
                header: t("sweeps.instance"),
                cell: (sweep) => (sweep.instance === null ? "" : <code>{sweep.instance}</code>),
              },
              { header: t("sweeps.lastStartedAt"), cell: (sweep) => time(sweep.lastStartedAt, "") },
              { header: t("sweeps.lastOkAt"), cell: (sweep) => time(sweep.lastOkAt, t("sweeps.never")) },
              { header: t("sweeps.lastError"), cell: (sweep) => errorCell(sweep.lastError) },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="system-webhooks">
        <h2 id="system-webhooks">{t("webhooks.title", { count: work.webhooks.length })}</h2>
        <p className="muted">{t("webhooks.intro")}</p>
        {work.webhooks.length === 0 ? (
          <p>{t("none")}</p>
        ) : (
          <DataTable
            caption={t("webhooks.caption")}
            rows={work.webhooks}
            rowKey={(row) => row.eventId}
            columns={[
              { header: t("webhooks.event"), rowHeader: true, cell: (row) => <code>{row.eventId}</code> },
              { header: t("webhooks.type"), cell: (row) => <code>{row.type}</code> },
              { header: t("webhooks.attempts"), number: true, cell: (row) => row.attempts },
              { header: t("webhooks.firstFailedAt"), cell: (row) => time(row.firstFailedAt, "") },
              { header: t("webhooks.lastFailedAt"), cell: (row) => time(row.lastFailedAt, "") },
              { header: t("webhooks.lastError"), cell: (row) => errorCell(row.lastError) },
            ]}
          />
        )}
      </section>
    </>
  );
}
