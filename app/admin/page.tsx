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
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">{t("title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("dates")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col" className="number">
                  {t("seats")}
                </th>
              </tr>
            </thead>
            <tbody>
              {editions.map((edition) => (
                <tr key={edition.id}>
                  <td>
                    <Link href={adminEditionPath(edition.slug)}>{localized(edition, "name", locale)}</Link>
                  </td>
                  <td>{formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale)}</td>
                  <td>
                    <span className={`badge status-${edition.status.toLowerCase()}`}>
                      {t(`statusName.${edition.status}`)}
                    </span>
                  </td>
                  <td className="number">{t("seatsOf", { taken: edition.taken, capacity: edition.capacity })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <GrowthSection editions={growth} locale={locale} />
    </>
  );
}
