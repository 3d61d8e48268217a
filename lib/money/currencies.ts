/**
 * Currencies Guichet charges in. Amounts are typed, stored and sent to Stripe in hundredths, so
 * only currencies with two decimal places are allowed: a zero-decimal one (JPY) would be charged
 * a hundred times over. Each has Stripe's minimum charge, below which Checkout refuses to open.
 */
const MINIMUM_CHARGE_CENTS: Record<string, number> = { EUR: 50, USD: 50, GBP: 30, CHF: 50, CAD: 50 };

export const SUPPORTED_CURRENCIES = Object.keys(MINIMUM_CHARGE_CENTS);

export function isSupportedCurrency(currency: string): boolean {
  return currency in MINIMUM_CHARGE_CENTS;
}

export function minimumChargeCents(currency: string): number {
  return MINIMUM_CHARGE_CENTS[currency] ?? 50;
}
