import type { Locale } from "./locales";

/** Integer cents as the locale writes money: "49,00 €" in French, "€49.00" in English. */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

// Long enough that nobody misreads a day, with the zone named so nobody misreads an hour.
// (dateStyle/timeStyle cannot be combined with timeZoneName, hence the spelled-out fields.)
const DATE_TIME_FIELDS = {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
} as const satisfies Intl.DateTimeFormatOptions;

/** A UTC instant shown in the edition's time zone. */
export function formatDateTime(date: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { ...DATE_TIME_FIELDS, timeZone }).format(date);
}

/** An edition's span, e.g. "mardi 23 février 2027, 09:00 – 18:30 UTC+1". */
export function formatDateRange(start: Date, end: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { weekday: "long", ...DATE_TIME_FIELDS, timeZone }).formatRange(start, end);
}

export function localized<T extends Record<string, unknown>, K extends string>(record: T, field: K, locale: Locale): string {
  const key = `${field}${locale === "fr" ? "Fr" : "En"}`;
  return String(record[key as keyof T] ?? "");
}
