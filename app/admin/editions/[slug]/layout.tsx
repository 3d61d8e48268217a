import { getLocale, getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { TabNav } from "@/components/admin/tab-nav";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";

export default async function EditionLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  await requirePermission("editions:manage");
  const { slug } = await params;
  const edition = await getEditionForOrganisers(db(), slug);
  if (!edition) notFound();
  const locale = (await getLocale()) as Locale;
  const t = await getTranslations("adminEditions");
  const base = `/admin/editions/${edition.slug}`;
  return (
    <>
      <div className="page-title">
        <h1>{localized(edition, "name", locale)}</h1>
        <span className={`badge status-${edition.status.toLowerCase()}`}>{t(`statusName.${edition.status}`)}</span>
      </div>
      <TabNav
        label={t("sections")}
        tabs={[
          { href: base, label: t("tabDashboard") },
          { href: `${base}/attendees`, label: t("tabAttendees") },
          { href: `${base}/ticket-types`, label: t("tabTicketTypes") },
          { href: `${base}/questions`, label: t("tabQuestions") },
          { href: `${base}/settings`, label: t("tabSettings") },
          { href: `${base}/audit`, label: t("tabAudit") },
        ]}
      />
      {children}
    </>
  );
}
