import { getTranslations } from "next-intl/server";
import { GrowthChart } from "@/components/admin/growth-chart";
import { CURVE_CHECKPOINTS, cumulativeAt, type EditionGrowth } from "@/lib/reports/growth";
import { formatMoney, localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { adminEditionPath } from "@/lib/http/paths";
import { DataTable } from "@/components/admin/data-table";

/** The back office home's cross-edition view: the curves, their figures, and each edition's totals. */
export async function GrowthSection({ editions, locale }: { editions: EditionGrowth[]; locale: Locale }) {
  const t = await getTranslations("growth");
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const date = (edition: EditionGrowth) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: edition.timeZone }).format(edition.startsAt);
  const name = (edition: EditionGrowth) => localized(edition, "name", locale);
  const totals = editions.map((edition) => t("chartEdition", { name: name(edition), total: edition.registrations }));
  return (
    <section aria-labelledby="growth-title" className="growth">
      <h2 id="growth-title">{t("title")}</h2>
      <p>{t("intro")}</p>
      {editions.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <>
          <h3>{t("chartTitle")}</h3>
          <GrowthChart
            series={editions.map((edition) => ({ ...edition, label: name(edition) }))}
            label={t("chartLabel", { summary: totals.join(", ") })}
            axisDays={t("axisDays")}
            axisRegistrations={t("axisRegistrations")}
          />
          {/* Focusable, so a keyboard can scroll it when the editions outgrow the screen. */}
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("curvesCaption")}>
            <table className="data-table" data-testid="growth-curves">
              <caption>{t("curvesCaption")}</caption>
              <thead>
                <tr>
                  <td />
                  {editions.map((edition) => (
                    <th key={edition.id} scope="col" className="number">
                      {name(edition)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {CURVE_CHECKPOINTS.map((days) => (
                  <tr key={days}>
                    <th scope="row">{t("daysBefore", { days })}</th>
                    {editions.map((edition) => (
                      <td key={edition.id} className="number">
                        {edition.daysBeforeNow > days ? "" : cumulativeAt(edition.curve, days)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <DataTable
            caption={t("summaryCaption")}
            showCaption
            testId="growth-summary"
            rows={editions}
            rowKey={(edition) => edition.id}
            columns={[
              {
                header: t("edition"),
                rowHeader: true,
                cell: (edition) => <a href={adminEditionPath(edition.slug)}>{name(edition)}</a>,
              },
              { header: t("date"), cell: date },
              {
                header: t("registrations"),
                number: true,
                cell: (edition) => `${edition.registrations} / ${edition.capacity}`,
              },
              {
                header: t("checkInRate"),
                number: true,
                cell: (edition) =>
                  edition.checkInRate === null
                    ? t("notYet")
                    : t("checkInValue", { rate: percent.format(edition.checkInRate), checkedIn: edition.checkedIn }),
              },
              { header: t("returning"), number: true, cell: (edition) => edition.returning },
              { header: t("newcomers"), number: true, cell: (edition) => edition.newcomers },
              {
                header: t("mix"),
                cell: (edition) =>
                  edition.ticketTypes
                    .filter((type) => type.confirmed > 0)
                    .map((type) => `${localized(type, "name", locale)} ${type.confirmed}`)
                    .join(" · "),
              },
              {
                header: t("revenue"),
                number: true,
                cell: (edition) => formatMoney(edition.netCents, edition.currency, locale),
              },
            ]}
          />
          <p className="hint">{t("returningHint")}</p>
          <p className="growth-downloads">
            <a className="button button-secondary" href="/admin/growth/export?part=summary" download>
              {t("downloadSummary")}
            </a>{" "}
            <a className="button button-secondary" href="/admin/growth/export?part=curves" download>
              {t("downloadCurves")}
            </a>
          </p>
        </>
      )}
    </section>
  );
}
