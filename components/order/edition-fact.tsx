import { formatDateRange, localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";

type Props = {
  label: string;
  edition: {
    nameFr: string;
    nameEn: string;
    startsAt: Date;
    endsAt: Date;
    timeZone: string;
    venueName: string;
    venueAddress: string;
  };
  locale: Locale;
};

/** Which edition, when and where: one line of an order's or a ticket's summary. */
export function EditionFact({ label, edition, locale }: Props) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {localized(edition, "name", locale)}
        <br />
        {formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale)}
        <br />
        {edition.venueName}, {edition.venueAddress}
      </dd>
    </div>
  );
}
