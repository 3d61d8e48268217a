import { getTranslations } from "next-intl/server";
import { filterQuery, type AttendeeFilter } from "@/lib/attendees/query";

/** Badges for the attendees the filters select, as A6 cards or as sheets of labels. */
export async function BadgeLinks({ filter, base }: { filter: AttendeeFilter; base: string }) {
  const t = await getTranslations("attendees");
  return (
    <>
      <h3 className="subsection">{t("badgesTitle")}</h3>
      <p className="hint">{t("badgesIntro")}</p>
      <div className="button-row">
        <a className="button button-secondary" href={`${base}/badges?${filterQuery(filter, { layout: "a6" })}`}>
          {t("badgesA6")}
        </a>
        <a className="button button-secondary" href={`${base}/badges?${filterQuery(filter, { layout: "labels" })}`}>
          {t("badgesLabels")}
        </a>
      </div>
    </>
  );
}
