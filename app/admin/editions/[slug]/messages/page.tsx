import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DataTable } from "@/components/admin/data-table";
import { db } from "@/lib/db/prisma";
import { adminMessagePath } from "@/lib/http/paths";
import { formatDateTime } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { listMessages } from "@/lib/messages/manage";
import { editionForPage } from "../edition-for-page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("title") };
}

export default async function MessagesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("messagesAdmin");
  const messages = await listMessages(db(), edition.id);
  const when = (date: Date | null) => (date ? formatDateTime(date, edition.timeZone, locale) : "");
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
            { header: t("audience"), cell: (message) => t(`audienceName.${message.audience}`) },
            { header: t("essential"), cell: (message) => (message.essential ? t("yes") : t("no")) },
            { header: t("status"), cell: (message) => t(`statusName.${message.status}`) },
            {
              header: t("time"),
              cell: (message) => when(message.dispatchedAt ?? message.sendAt ?? message.createdAt),
            },
            { header: t("recipients"), number: true, cell: (message) => message.progress.total },
            {
              header: t("progress"),
              cell: (message) => t("progressLine", { ...message.progress }),
            },
            { header: t("author"), cell: (message) => message.createdBy?.email ?? "" },
          ]}
        />
      )}
    </>
  );
}
