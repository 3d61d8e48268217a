import type { Locale } from "@/lib/i18n/locales";

/** A day as a bank books it (a DATE, or a statement's YYYY-MM-DD): no time, no zone. */
export function bookedDay(day: Date | string, locale: Locale): string {
  const date = typeof day === "string" ? new Date(`${day}T00:00:00Z`) : day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
}
