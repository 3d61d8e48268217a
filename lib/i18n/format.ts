import type { Locale } from "./locales";

/** Integer cents as the locale writes money: "49,00 €" in French, "€49.00" in English. */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

/** A UTC instant shown in the edition's time zone, with the zone named so nobody misreads it. */
export function formatDateTime(date: Date, timeZone: string, locale: Locale): string {
  // dateStyle cannot be combined with timeZoneName, hence the spelled-out fields.
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(date);
}

export function formatDateRange(start: Date, end: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).formatRange(start, end);
}

export function localized<T extends Record<string, unknown>, K extends string>(record: T, field: K, locale: Locale): string {
  const key = `${field}${locale === "fr" ? "Fr" : "En"}`;
  return String(record[key as keyof T] ?? "");
}
