import { getTranslations } from "next-intl/server";
import { filterQuery, type AttendeeFilter } from "@/lib/attendees/query";
import { attendeeColumns, DEFAULT_COLUMNS } from "@/lib/exports/attendee-columns";
import type { Locale } from "@/lib/i18n/locales";
import type { AdminEdition } from "./admin-edition";
import { BadgeLinks } from "./badge-links";

type Props = { edition: AdminEdition; filter: AttendeeFilter; base: string; locale: Locale; total: number };

/** Downloads of the filtered list: CSV or XLSX with the columns chosen here, and badges. */
export async function ExportPanel({ edition, filter, base, locale, total }: Props) {
  const t = await getTranslations("attendees");
  const columns = attendeeColumns(edition, edition.questions, locale);
  const filterHidden = Object.entries(Object.fromEntries(new URLSearchParams(filterQuery(filter))));
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t("exportTitle")}</h2>
      <form className="form" method="get" action={`${base}/export`}>
        {filterHidden.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <p className="hint">{t("exportIntro", { total })}</p>
        <fieldset>
          <legend>{t("columns")}</legend>
          <div className="columns-choice">
            {columns.map((column) => (
              <label key={column.id}>
                <input
                  type="checkbox"
                  name="columns"
                  value={column.id}
                  defaultChecked={DEFAULT_COLUMNS.includes(column.id) || column.id.startsWith("answer:")}
                />
                {column.header[locale]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="button-row">
          <button type="submit" name="format" value="csv" className="button">
            {t("downloadCsv")}
          </button>
          <button type="submit" name="format" value="xlsx" className="button button-secondary">
            {t("downloadXlsx")}
          </button>
        </div>
      </form>
      <BadgeLinks filter={filter} base={base} />
    </section>
  );
}
