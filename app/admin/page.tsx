import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { GrowthSection } from "@/components/admin/growth-section";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { listEditionsForOrganisers } from "@/lib/editions/admin-queries";
import { getGrowth } from "@/lib/reports/growth";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminEditionPath } from "@/lib/http/paths";
import { DataTable } from "@/components/admin/data-table";

// In full: the admin layout's title template only applies to the segments below it, not to this page.
export async function generateMetadata(): Promise<Metadata> {
  const [editions, admin] = [await getTranslations("adminEditions"), await getTranslations("admin")];
  return { title: { absolute: `${editions("title")} · ${admin("title")}` } };
}

export default async function EditionsPage() {
  await requirePermission("editions:manage");
  const locale = await currentLocale();
  const t = await getTranslations("adminEditions");
  const editions = await listEditionsForOrganisers(db());
  const growth = await getGrowth(db());
  return (
    <>
      <div className="page-title">
        <h1>{t("title")}</h1>
        <Link href="/admin/editions/new" className="button">
          {t("new")}
        </Link>
      </div>
      {editions.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <DataTable
          caption={t("title")}
          rows={editions}
          rowKey={(edition) => edition.id}
          columns={[
            {
              header: t("name"),
              cell: (edition) => (
                <Link href={adminEditionPath(edition.slug)}>{localized(edition, "name", locale)}</Link>
              ),
            },
            {
              header: t("dates"),
              cell: (edition) => formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale),
            },
            {
              header: t("status"),
              cell: (edition) => (
                <span className={`badge status-${edition.status.toLowerCase()}`}>
                  {t(`statusName.${edition.status}`)}
                </span>
              ),
            },
            {
              header: t("seats"),
              number: true,
              cell: (edition) => t("seatsOf", { taken: edition.taken, capacity: edition.capacity }),
            },
          ]}
        />
      )}
      <GrowthSection editions={growth} locale={locale} />
    </>
  );
}
