import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { DataTable } from "@/components/admin/data-table";
import { LiveRefresh } from "@/components/admin/live-refresh";
import { EmailPreview } from "@/components/admin/messages/email-preview";
import { filterWords } from "@/components/admin/messages/filter-words";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { adminEditionPath, adminMessageEditPath, adminMessagePath } from "@/lib/http/paths";
import { formatDateTime, formatShortDateTime, zoneName } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { emailLinkKeyFrom } from "@/lib/messages/opt-out";
import { previewMessageEmails } from "@/lib/messages/preview";
import { messageProgress } from "@/lib/messages/progress";
import {
  listMessageRecipients,
  RECIPIENT_STATES,
  RECIPIENTS_PER_PAGE,
  recipientListQuerySchema,
  type RecipientListRow,
} from "@/lib/messages/recipient-list";
import { previewRecipients } from "@/lib/messages/recipients";
import { appNow } from "@/lib/time/clock";
import { editionForPage } from "../../edition-for-page";
import { resendFailedAction, scheduleMessageAction, sendNowAction, stopMessageAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("message") };
}

type PageProps = {
  params: Promise<{ slug: string; messageId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MessagePage({ params, searchParams }: PageProps) {
  const { edition } = await editionForPage(params);
  const { messageId } = await params;
  const message = /^[0-9a-f-]{36}$/.test(messageId)
    ? await db().message.findFirst({
        where: { id: messageId, editionId: edition.id },
        include: { edition: true, createdBy: { select: { email: true } } },
      })
    : null;
  if (!message) notFound();
  const locale = await currentLocale();
  const t = await getTranslations("messagesAdmin");
  const list = await getTranslations("attendeeList");
  const now = appNow();
  const leaving = message.status === "DRAFT" || message.status === "SCHEDULED";
  const query = recipientListQuerySchema.parse(await searchParams);
  const renderDeps = { appUrl: env().APP_URL, db: db(), emailLinkKey: emailLinkKeyFrom(env()) ?? undefined };
  const [progress, preview, emails, recipients, chosenBy] = await Promise.all([
    messageProgress(db(), message.id),
    leaving ? previewRecipients(db(), message, now) : null,
    leaving ? previewMessageEmails(renderDeps, message, now) : [],
    leaving ? null : listMessageRecipients(db(), message.id, query),
    filterWords(edition, message.filter, locale),
  ]);
  const stateCount = { ...progress, all: progress.total };
  const tablePath = (state: string | undefined, page?: number) =>
    adminMessagePath(edition.slug, message.id, { state, page: page && page > 1 ? String(page) : undefined });
  const columns = [
    { header: t("recipientColumn.name"), cell: (row: RecipientListRow) => row.firstName, rowHeader: true },
    { header: t("recipientColumn.email"), cell: (row: RecipientListRow) => row.toAddress },
    { header: t("recipientColumn.language"), cell: (row: RecipientListRow) => t(`languageName.${row.locale}`) },
    {
      header: t("recipientColumn.state"),
      // On one line: a phone scrolls the table sideways rather than stacking the date in a narrow column.
      cell: (row: RecipientListRow) => (
        <span className="time-cell">
          {row.sentAt
            ? t("recipientSentAt", {
                state: t(`recipientState.${row.state}`),
                time: formatShortDateTime(row.sentAt, edition.timeZone, locale),
              })
            : t(`recipientState.${row.state}`)}
        </span>
      ),
    },
    { header: t("recipientColumn.answer"), cell: (row: RecipientListRow) => row.lastError ?? "" },
  ];
  const when = (date: Date) => formatDateTime(date, edition.timeZone, locale);
  const hidden = { editionId: edition.id, editionSlug: edition.slug, messageId: message.id };
  // Stopping means something: a time not reached yet, or emails not handed to the mail server yet.
  const stoppable =
    message.kind === "CUSTOM" &&
    (message.status === "SCHEDULED" ||
      message.status === "QUEUEING" ||
      (message.status === "QUEUED" && progress.pending + progress.unqueued > 0));
  // A message written in one language only: those reading the other get its text under their own footer.
  const written = !message.subjectFr && !message.bodyFr ? "en" : !message.subjectEn && !message.bodyEn ? "fr" : null;
  const otherReaders = written && preview ? preview.byLocale[written === "fr" ? "en" : "fr"] : 0;
  const settings = adminEditionPath(edition.slug, "settings");
  const facts: [string, string, string?][] = [
    [t("facts.status"), t(`statusName.${message.status}`), "message-status"],
    [t("facts.audience"), t(`audienceName.${message.audience}`), "message-audience"],
    [t("facts.filter"), chosenBy.length > 0 ? chosenBy.join(" · ") : t("filterNone"), "message-filter"],
    [t("facts.essential"), message.essential ? t("essentialYes") : t("essentialNo")],
    [t("facts.author"), message.createdBy?.email ?? t("authorGone"), "message-author"],
  ];
  if (message.sendAt) facts.push([t("facts.scheduled"), when(message.sendAt), "message-scheduled"]);
  if (message.dispatchedAt) facts.push([t("facts.sent"), when(message.dispatchedAt), "message-sent-at"]);
  return (
    <>
      <p>
        <Link href={adminEditionPath(edition.slug, "messages")}>{t("back")}</Link>
      </p>
      <h2>{t("message")}</h2>
      <dl className="facts" data-testid="message-facts">
        {facts.map(([label, value, testId]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
      {message.kind !== "CUSTOM" && (
        <p className="hint" data-testid="message-standing">
          {t.rich(`standing.${message.kind}`, {
            link: (words) => (
              <Link href={`${settings}#${message.kind === "CERTIFICATE" ? "certificates" : "reminders"}-title`}>
                {words}
              </Link>
            ),
          })}
        </p>
      )}
      {!leaving && (
        <>
          <LiveRefresh seconds={5} label={t("liveRefresh")} />
          <p role="status" data-testid="message-progress">
            {t("progressLine", { ...progress })}
          </p>
        </>
      )}
      {preview && (
        <section aria-labelledby="preview-title">
          <h3 id="preview-title">{t("previewTitle")}</h3>
          <p data-testid="message-preview">
            {t("previewCounts", { total: preview.total, ...preview.byLocale, optedOut: preview.optedOut })}
          </p>
          {written && otherReaders > 0 && (
            <p className="notice" data-testid="message-one-language">
              {t("oneLanguage", { written, count: otherReaders })}
            </p>
          )}
          <ul>
            {preview.rows.map((row) => (
              <li key={row.emailKey}>
                {row.firstName} &lt;{row.toAddress}&gt; ({row.locale}){row.skipped ? ` · ${t("optedOut")}` : ""}
              </li>
            ))}
          </ul>
          <h3 id="email-preview-title">{t("emailPreviewTitle")}</h3>
          {emails.length === 0 ? (
            <p>{t("emailPreviewNone")}</p>
          ) : (
            <EmailPreview
              labels={{
                width: t("emailPreviewWidth"),
                phone: t("emailPreviewPhone"),
                desktop: t("emailPreviewDesktop"),
                subject: t("emailPreviewSubject"),
                frame: t("emailPreviewFrame"),
              }}
              emails={emails.map(({ recipient, email }) => ({
                key: recipient.locale,
                heading: t("emailPreviewFor", {
                  language: t(`languageName.${recipient.locale}`),
                  name: recipient.firstName,
                  address: recipient.toAddress,
                }),
                subject: email?.subject ?? "",
                html: email?.html ?? "",
              }))}
            />
          )}
        </section>
      )}
      {recipients && (
        <section aria-labelledby="recipients-title">
          <h3 id="recipients-title">{t("recipientsTitle")}</h3>
          <nav aria-label={t("recipientsFilter")} className="button-row" data-testid="recipient-states">
            {([undefined, ...RECIPIENT_STATES] as const).map((state) => (
              <Link
                key={state ?? "all"}
                href={tablePath(state)}
                aria-current={state === query.state ? "page" : undefined}
              >
                {t("recipientStateCount", {
                  state: state ? t(`recipientState.${state}`) : t("recipientsAll"),
                  count: stateCount[state ?? "all"],
                })}
              </Link>
            ))}
          </nav>
          <p className="hint">{list("timesIn", { zone: zoneName(edition.timeZone, locale, now) })}</p>
          {recipients.rows.length === 0 ? (
            <p>{t("recipientsEmpty")}</p>
          ) : (
            <div className="messages-list">
              <DataTable
                caption={t("recipientsCaption", {
                  from: (recipients.page - 1) * RECIPIENTS_PER_PAGE + 1,
                  to: (recipients.page - 1) * RECIPIENTS_PER_PAGE + recipients.rows.length,
                  total: recipients.total,
                })}
                showCaption
                columns={columns}
                rows={recipients.rows}
                rowKey={(row) => row.id}
                testId="message-recipients"
              />
            </div>
          )}
          {recipients.pages > 1 && (
            <nav className="pagination" aria-label={t("recipientsPages")}>
              {recipients.page > 1 && (
                <Link href={tablePath(query.state, recipients.page - 1)}>{t("recipientsPrevious")}</Link>
              )}
              <span>{t("recipientsPageOf", { page: recipients.page, pages: recipients.pages })}</span>
              {recipients.page < recipients.pages && (
                <Link href={tablePath(query.state, recipients.page + 1)}>{t("recipientsNext")}</Link>
              )}
            </nav>
          )}
        </section>
      )}
      {(["Fr", "En"] as const).map((language) => (
        <section key={language} lang={language.toLowerCase()} aria-label={t(`text${language}`)}>
          <h3>{t(`text${language}`)}</h3>
          <p>
            <strong>{message[`subject${language}`]}</strong>
          </p>
          <pre className="message-body">{message[`body${language}`]}</pre>
        </section>
      ))}
      {leaving && preview && (
        <>
          <p>
            <Link href={adminMessageEditPath(edition.slug, message.id)}>{t("edit")}</Link>
          </p>
          <ActionButton
            action={sendNowAction}
            hidden={hidden}
            label={t("sendNow")}
            confirm={t("sendNowConfirm", { count: preview.total - preview.optedOut })}
          />
          <AdminForm
            action={scheduleMessageAction}
            fields={[{ name: "sendAt", label: t("sendAt", { zone: edition.timeZone }), type: "datetime-local" }]}
            hidden={hidden}
            submitLabel={t("schedule")}
            idPrefix="schedule"
          />
        </>
      )}
      {stoppable && (
        <ActionButton action={stopMessageAction} hidden={hidden} label={t("stop")} confirm={t("stopConfirm")} danger />
      )}
      {progress.failed > 0 && message.status !== "CANCELLED" && (
        <ActionButton
          action={resendFailedAction}
          hidden={hidden}
          label={t("resendFailed", { count: progress.failed })}
        />
      )}
    </>
  );
}
