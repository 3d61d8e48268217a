import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { SwitchAccount } from "@/components/switch-account";
import { currentActor } from "@/lib/auth/actor";
import { listScannableEditions } from "@/lib/checkin/access";
import { db } from "@/lib/db/prisma";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { checkinPath } from "@/lib/http/paths";

// Which door: the editions this person may scan at (check-in staff: the ones they are assigned to).
export default async function CheckInHome() {
  const actor = await currentActor();
  if (!actor) redirect("/admin/sign-in?callbackUrl=/checkin");
  const t = await getTranslations("checkin");
  const locale = await currentLocale();
  const editions = await listScannableEditions(db(), actor);
  return (
    <>
      <h1>{t("chooseEdition")}</h1>
      {editions.length === 0 ? (
        <>
          <p>{t("noEdition")}</p>
          <SwitchAccount email={actor.email} callbackUrl="/checkin" />
        </>
      ) : (
        <ul className="cards">
          {editions.map((edition) => (
            <li key={edition.id} className="card">
              <a href={checkinPath(edition.slug)} className="card-link">
                {localized(edition, "name", locale)}
              </a>
              <p className="muted">{formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale)}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
