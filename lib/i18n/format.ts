import type { Locale } from "./locales";
import en from "./messages/en.json" with { type: "json" };
import fr from "./messages/fr.json" with { type: "json" };

const TIME_WORDS = { fr: fr.time, en: en.time };

/** Integer cents as the locale writes money: "49,00 €" in French, "€49.00" in English. */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

// Long enough that nobody misreads a day; the zone is named after its city, as people say it ("heure de
// Paris", "Paris time"), rather than as an offset nobody checks ("UTC+1").
const DATE_TIME_FIELDS = {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
} as const satisfies Intl.DateTimeFormatOptions;

/** "heure de Paris", "Paris time": the IANA zone's city in the reader's words; the offset for zones without one. */
export function zoneName(timeZone: string, locale: Locale, at = new Date()): string {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return "UTC";
  if (!timeZone.includes("/") || timeZone.startsWith("Etc/")) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "shortOffset" }).formatToParts(at);
    return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
  }
  const city = timeZone.slice(timeZone.lastIndexOf("/") + 1).replaceAll("_", " ");
  const words = TIME_WORDS[locale];
  return (/^[AEIOUYÉÈÎÔ]/i.test(city) ? words.zoneBeforeVowel : words.zone).replace("{city}", city);
}

function withZone(text: string, timeZone: string, locale: Locale, at: Date): string {
  return TIME_WORDS[locale].inZone.replace("{time}", text).replace("{zone}", zoneName(timeZone, locale, at));
}

/** A UTC instant shown in the edition's time zone, e.g. "10 janvier 2027 à 10:30 (heure de Paris)". */
export function formatDateTime(date: Date, timeZone: string, locale: Locale): string {
  return withZone(
    new Intl.DateTimeFormat(locale, { ...DATE_TIME_FIELDS, timeZone }).format(date),
    timeZone,
    locale,
    date,
  );
}

/** An edition's span, e.g. "mardi 23 février 2027, 09:00 – 18:30 (heure de Paris)". */
export function formatDateRange(start: Date, end: Date, timeZone: string, locale: Locale): string {
  const range = new Intl.DateTimeFormat(locale, { weekday: "long", ...DATE_TIME_FIELDS, timeZone }).formatRange(
    start,
    end,
  );
  return withZone(range, timeZone, locale, start);
}

export function localized<T extends Record<string, unknown>, K extends string>(
  record: T,
  field: K,
  locale: Locale,
): string {
  const key = `${field}${locale === "fr" ? "Fr" : "En"}`;
  return String(record[key as keyof T] ?? "");
}

/** A compact date and time for table cells ("20/11/2026 14:05"); the zone is named once, above the table. */
export function formatShortDateTime(date: Date, timeZone: string, locale: Locale): string {
  // Day before month in English too: the numeric US order would misread 03/04 in a French conference.
  const tag = locale === "fr" ? "fr-FR" : "en-GB";
  return new Intl.DateTimeFormat(tag, { dateStyle: "short", timeStyle: "short", timeZone }).format(date);
}
