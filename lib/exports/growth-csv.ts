import type { EditionGrowth } from "@/lib/reports/growth";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { csvLine } from "./csv";

export type GrowthCsvPart = "summary" | "curves";
type Header = (key: string) => string;

function day(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

/**
 * The growth view's figures as CSV (UTF-8 with a BOM, as the attendee exports): one row per edition with a column
 * per ticket type seen at any edition, or the curves one row per edition and day. Amounts are plain decimals in
 * the edition's currency, rates fractions of one, so a spreadsheet can compute with them.
 */
export function growthCsv(editions: EditionGrowth[], part: GrowthCsvPart, locale: Locale, header: Header): string {
  if (part === "curves") {
    const rows = editions.flatMap((edition) =>
      edition.curve.map((point) => [edition.slug, point.daysBefore, point.cumulative]),
    );
    const head = ["slug", "daysBefore", "cumulative"].map(header);
    return `\uFEFF${csvLine(head)}${rows.map(csvLine).join("")}`;
  }
  const typeCodes = [...new Set(editions.flatMap((edition) => edition.ticketTypes.map((type) => type.code)))];
  const head = [
    ...["slug", "name", "startsAt", "status", "capacity", "registrations", "checkedIn", "checkInRate"].map(header),
    ...["returning", "newcomers", "revenue", "currency"].map(header),
    ...typeCodes,
  ];
  const rows = editions.map((edition) => [
    edition.slug,
    localized(edition, "name", locale),
    day(edition.startsAt, edition.timeZone),
    edition.status,
    edition.capacity,
    edition.registrations,
    edition.checkedIn,
    edition.checkInRate === null ? "" : edition.checkInRate.toFixed(3),
    edition.returning,
    edition.newcomers,
    (edition.netCents / 100).toFixed(2),
    edition.currency,
    ...typeCodes.map((code) => edition.ticketTypes.find((type) => type.code === code)?.confirmed ?? 0),
  ]);
  return `\uFEFF${csvLine(head)}${rows.map(csvLine).join("")}`;
}
