import { minimumChargeCents } from "@/lib/money/currencies";

/** What a voucher does to each ticket it applies to; amounts in integer cents, VAT included. */
export type VoucherPricing =
  | { effect: "PERCENT_OFF"; percentOff: number }
  | { effect: "AMOUNT_OFF"; amountCents: number }
  | { effect: "FIXED_PRICE"; amountCents: number }
  | { effect: "FREE" };

/** A ticket's price with a voucher, and what the voucher took off its list price (priceCents + discountCents). */
export type VoucherPrice = { priceCents: number; discountCents: number };

/**
 * The price of one ticket of list price `listPriceCents` with a voucher. A percentage rounds the price to the
 * nearest cent, halves up (as pretix does): 15 % off 19,99 € is 16,99 €. A voucher never raises a price (a fixed
 * price above the list price leaves it) and never makes it negative. A price left between zero and the currency's
 * minimum charge is raised to that minimum (never above the list price), so that no order is left that Stripe
 * Checkout refuses to open: a voucher meant to make a ticket free says FREE.
 */
export function priceWithVoucher(listPriceCents: number, voucher: VoucherPricing, currency: string): VoucherPrice {
  if (!Number.isInteger(listPriceCents) || listPriceCents < 0) throw new RangeError(`bad list price ${listPriceCents}`);
  const discounted = discountedPrice(listPriceCents, voucher);
  const minimum = Math.min(listPriceCents, minimumChargeCents(currency));
  const priceCents = discounted > 0 && discounted < minimum ? minimum : discounted;
  return { priceCents, discountCents: listPriceCents - priceCents };
}

function discountedPrice(list: number, voucher: VoucherPricing): number {
  switch (voucher.effect) {
    case "PERCENT_OFF":
      // Integers only: (list × (100 − p) + 50) / 100 rounded down is the price rounded half up.
      return Math.floor((list * (100 - voucher.percentOff) + 50) / 100);
    case "AMOUNT_OFF":
      return Math.max(0, list - voucher.amountCents);
    case "FIXED_PRICE":
      return Math.min(list, voucher.amountCents);
    case "FREE":
      return 0;
  }
}
