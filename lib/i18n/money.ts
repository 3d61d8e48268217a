export function formatRate(rateBasisPoints: number, locale: "fr" | "en"): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(rateBasisPoints / 10_000);
}
