import type { Metadata } from "next";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { getTranslations } from "next-intl/server";
import { Availability } from "@/components/availability";
import { db } from "@/lib/db/prisma";
import { listOpenEditionOffers } from "@/lib/editions/queries";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { Link } from "@/lib/i18n/navigation";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  return { title: (await getTranslations({ locale, namespace: "home" }))("title") };
}

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations("home");
  const offers = await listOpenEditionOffers(db());
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {offers.length === 0 ? (
        <p>{t("noEditions")}</p>
      ) : (
        <ul className="cards">
          {offers.map(({ edition, seatsLeft }) => {
            const name = localized(edition, "name", locale);
            return (
              <li key={edition.id} className="card">
                <h2>
                  <Link href={`/editions/${edition.slug}`}>{name}</Link>
                </h2>
                <p>{formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale)}</p>
                <p>{edition.venueName}</p>
                <Availability seatsLeft={seatsLeft} />
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
