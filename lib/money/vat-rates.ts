/**
 * The VAT rates a ticket type may carry, in basis points: France's standard (20 %), intermediate (10 %), reduced
 * (5.5 %) and special (2.1 %) rates, and 0 for a sale exempted by law, which then prints its legal mention.
 * The organiser chooses each type's rate: admission to a conference is 20 % in France, taxed where the event
 * takes place (never reverse-charged), but some admissions are exempt or reduced.
 */
export const VAT_RATES_BASIS_POINTS = [2000, 1000, 550, 210, 0] as const;
export type VatRateBasisPoints = (typeof VAT_RATES_BASIS_POINTS)[number];

export const DEFAULT_VAT_RATE_BASIS_POINTS: VatRateBasisPoints = 2000;

export function isVatRate(rate: number): rate is VatRateBasisPoints {
  return (VAT_RATES_BASIS_POINTS as readonly number[]).includes(rate);
}
