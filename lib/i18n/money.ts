/** The VAT contained in a price that includes it, at a rate in basis points (2000 = 20 %), rounded to the cent. */
export function vatIncludedCents(totalCents: number, rateBasisPoints: number): number {
  return Math.round((totalCents * rateBasisPoints) / (10_000 + rateBasisPoints));
}

export function formatRate(rateBasisPoints: number, locale: "fr" | "en"): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(rateBasisPoints / 10_000);
}
