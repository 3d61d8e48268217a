import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DataTable } from "@/components/admin/data-table";
import { db } from "@/lib/db/prisma";
import { adminMessagePath } from "@/lib/http/paths";
import { formatShortDateTime, zoneName } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { listMessages } from "@/lib/messages/manage";
import { appNow } from "@/lib/time/clock";
import { editionForPage } from "../edition-for-page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("title") };
}

export default async function MessagesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("messagesAdmin");
  const list = await getTranslations("attendeeList");
  const messages = await listMessages(db(), edition.id);
  const when = (date: Date) => formatShortDateTime(date, edition.timeZone, locale);
  return (
    <>
      <h2>{t("title")}</h2>
      <p>
        <Link className="button" href={adminMessagePath(edition.slug, "new")}>
          {t("new")}
        </Link>
      </p>
      {messages.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        // Compact cells, the columns that tell messages apart first: a phone scrolls to the rest.
        <div className="messages-list">
          <p className="hint">{list("timesIn", { zone: zoneName(edition.timeZone, locale, appNow()) })}</p>
          <DataTable
            caption={t("title")}
            rows={messages}
            rowKey={(message) => message.id}
            testId="messages"
            columns={[
              {
                header: t("subject"),
                rowHeader: true,
                cell: (message) => (
                  <Link href={adminMessagePath(edition.slug, message.id)}>
                    {(locale === "fr"
                      ? message.subjectFr || message.subjectEn
                      : message.subjectEn || message.subjectFr) || t(`kind.${message.kind}`)}
                  </Link>
                ),
              },
              { header: t("status"), cell: (message) => t(`statusName.${message.status}`) },
              {
                header: t("time"),
                cell: (message) => (
                  <span className="time-cell">{when(message.dispatchedAt ?? message.sendAt ?? message.createdAt)}</span>
                ),
              },
              {
                header: t("progress"),
                cell: (message) => (
                  <>
                    {t("listProgress", { sent: message.progress.sent, total: message.progress.total })}
                    {message.progress.failed > 0 && (
                      <span className="cell-note">{t("listFailed", { failed: message.progress.failed })}</span>
                    )}
                  </>
                ),
              },
              {
                header: t("audience"),
                cell: (message) =>
                  message.essential
                    ? `${t(`audienceName.${message.audience}`)} · ${t("listEssential")}`
                    : t(`audienceName.${message.audience}`),
              },
              {
                header: t("author"),
                cell: (message) => <span className="email-cell">{message.createdBy?.email}</span>,
              },
            ]}
          />
        </div>
      )}
    </>
  );
}
