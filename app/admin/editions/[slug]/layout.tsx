import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { TabNav } from "@/components/admin/tab-nav";
import { localized } from "@/lib/i18n/format";
import { editionForPage } from "./edition-for-page";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminEditionPath } from "@/lib/http/paths";

// Every page of an edition says which one it is in the tab: "Participants · Open Cloud Paris #12 · …".
export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { edition } = await editionForPage(params);
  const name = localized(edition, "name", await currentLocale());
  const admin = await getTranslations("admin");
  return { title: { default: name, template: `%s · ${name} · ${admin("title")}` } };
}

export default async function EditionLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("adminEditions");
  const emails = await getTranslations("emails");
  const vouchers = await getTranslations("voucherAdmin");
  const messages = await getTranslations("messagesAdmin");
  return (
    <>
      <div className="page-title">
        <h1>{localized(edition, "name", locale)}</h1>
        <span className={`badge status-${edition.status.toLowerCase()}`}>{t(`statusName.${edition.status}`)}</span>
      </div>
      <TabNav
        label={t("sections")}
        tabs={[
          { href: adminEditionPath(edition.slug), label: t("tabDashboard") },
          { href: adminEditionPath(edition.slug, "attendees"), label: t("tabAttendees") },
          { href: adminEditionPath(edition.slug, "ticket-types"), label: t("tabTicketTypes") },
          { href: adminEditionPath(edition.slug, "vouchers"), label: vouchers("tab") },
          { href: adminEditionPath(edition.slug, "allocations"), label: t("tabAllocations") },
          { href: adminEditionPath(edition.slug, "waiting-list"), label: t("tabWaitingList") },
          { href: adminEditionPath(edition.slug, "questions"), label: t("tabQuestions") },
          { href: adminEditionPath(edition.slug, "settings"), label: t("tabSettings") },
          { href: adminEditionPath(edition.slug, "emails"), label: emails("admin.tab") },
          { href: adminEditionPath(edition.slug, "messages"), label: messages("tab") },
          { href: adminEditionPath(edition.slug, "audit"), label: t("tabAudit") },
        ]}
      />
      {children}
    </>
  );
}
