import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionButton } from "@/components/admin/action-button";
import { db } from "@/lib/db/prisma";
import { LONG_PENDING_MINUTES, listEmailsNeedingAttention } from "@/lib/email/attention";
import { formatDateTime } from "@/lib/i18n/format";
import { editionForPage } from "../edition-for-page";
import { resendEmailAction } from "./actions";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminEditionPath, adminTemplatesPath } from "@/lib/http/paths";
import { DataTable } from "@/components/admin/data-table";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("emails"))("admin.tab") };
}

export default async function EmailsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  const { edition } = await editionForPage(params, "orders:manage");
  const locale = await currentLocale();
  const t = await getTranslations("emails");
  const templates = await getTranslations("templatesAdmin");
  const emails = await listEmailsNeedingAttention(db(), edition.id);
  const done = (await searchParams).done === "resent";
  const kindName = (kind: string) => (t.has(`kind.${kind}`) ? t(`kind.${kind}`) : kind);
  return (
    <>
      <h2>{t("admin.title")}</h2>
      <p className="muted">{t("admin.intro", { minutes: LONG_PENDING_MINUTES })}</p>
      <p>
        {templates("templatesLinkIntro")}{" "}
        <Link href={adminTemplatesPath(edition.slug)}>{templates("templatesLink")}</Link>
      </p>
      {done && (
        <p className="form-message success" role="status">
          {t("admin.resent")}
        </p>
      )}
      {emails.length === 0 ? (
        <p>{t("admin.none")}</p>
      ) : (
        <DataTable
          caption={t("admin.tableCaption")}
          rows={emails}
          rowKey={(email) => email.id}
          columns={[
            { header: t("admin.queuedAt"), cell: (email) => formatDateTime(email.queuedAt, edition.timeZone, locale) },
            { header: t("admin.recipient"), cell: (email) => email.toAddress },
            {
              header: t("admin.email"),
              cell: (email) => (
                <>
                  {kindName(email.kind)}
                  {email.orderReference && (
                    <>
                      <br />
                      <Link
                        href={adminEditionPath(edition.slug, "attendees", { q: email.orderReference })}
                        className="muted"
                      >
                        {t("admin.order", { reference: email.orderReference })}
                      </Link>
                    </>
                  )}
                </>
              ),
            },
            {
              header: t("admin.status"),
              cell: (email) => (
                <span className={`badge ${email.status === "FAILED" ? "badge-full" : "status-pending"}`}>
                  {t(`admin.statusName.${email.status}`)}
                </span>
              ),
            },
            { header: t("admin.attempts"), cell: (email) => email.attempts },
            {
              header: t("admin.lastError"),
              cell: (email) =>
                email.lastError ? <code>{email.lastError}</code> : <span className="muted">{t("admin.noError")}</span>,
            },
            {
              header: t("admin.actions"),
              cell: (email) => (
                <ActionButton
                  action={resendEmailAction}
                  hidden={{ editionId: edition.id, editionSlug: edition.slug, emailId: email.id }}
                  label={t("admin.resend")}
                  accessibleLabel={t("admin.resendTo", { email: kindName(email.kind), address: email.toAddress })}
                />
              ),
            },
          ]}
        />
      )}
    </>
  );
}
