import type { InvoiceLine, InvoiceTotals } from "./document";

/** A line as the organiser priced it: a unit price VAT included, a quantity and the ticket type's rate. */
export type PricedLine = {
  description: string;
  quantity: number;
  unitPriceIncludingVatCents: number;
  /** 2000 is 20 %, 550 is 5.5 %, 0 for none. */
  vatRateBasisPoints: number;
  /** The legal mention printed for a line at 0 % (why no VAT is due); lines at one rate share one mention. */
  exemption?: string | null;
};

/** The seller's VAT status: under the franchise (art. 293 B du CGI) no line carries VAT, whatever its rate. */
export type VatRegime = { franchise: false } | { franchise: true; mention: string };

const BASIS = 10_000;

/** n / d rounded half up, for integers n ≥ 0 and d > 0, without floating point. */
function divideHalfUp(n: number, d: number): number {
  const remainder = n % d;
  const quotient = (n - remainder) / d;
  return 2 * remainder >= d ? quotient + 1 : quotient;
}

/**
 * The amounts of an invoice whose prices are entered VAT included (TTC), in integer cents.
 *
 * The rule, per VAT rate r:
 * 1. A line's total TTC is its unit price × its quantity; the rate's TTC T is the sum of its lines' TTC, and the
 *    invoice's total TTC the sum of every line's: exactly what the buyer paid, never rounded.
 * 2. The rate's base (excluding VAT) is B = T / (1 + r), rounded half up to the cent; its VAT is T − B.
 * 3. The lines' bases add up to B: each line gets its exact share TTC / (1 + r) rounded down, and the cents left
 *    (B minus their sum, never more than the number of lines) go one each to the lines with the largest dropped
 *    fractions (the first line first on a tie). A line's VAT is its TTC − its base.
 * Under the VAT franchise every line is at 0 %, its base is its TTC, and the franchise's mention is the exemption.
 *
 * EN 16931: the lines' bases add up to the rate's base (BR-S-08, BR-CO-10) and base + VAT = TTC everywhere
 * (BR-CO-15). BR-CO-17 asks that a rate's VAT be its base × r rounded: here the VAT is T − B, which differs from
 * B × r by at most 0.6 cent (B is within half a cent of T / (1 + r)), so from B × r rounded by at most one cent.
 * No pair of whole cents can always satisfy both "base + VAT = what was paid" and "VAT = base × r rounded"
 * (B + round(B × r) skips some totals), and a price VAT included must stay what the buyer paid: this is the
 * accepted practice for prices entered VAT included, and CEN's validation rules (the EN 16931 schematron, also
 * used for Factur-X) accept a category's VAT within one currency unit of base × rate.
 */
export function invoiceAmounts(
  priced: PricedLine[],
  regime: VatRegime,
): { lines: InvoiceLine[]; totals: InvoiceTotals } {
  for (const line of priced) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
      throw new RangeError("quantity: a positive integer");
    if (!Number.isSafeInteger(line.unitPriceIncludingVatCents) || line.unitPriceIncludingVatCents < 0) {
      throw new RangeError("unitPriceIncludingVatCents: a non-negative integer");
    }
    if (!Number.isSafeInteger(line.vatRateBasisPoints) || line.vatRateBasisPoints < 0) {
      throw new RangeError("vatRateBasisPoints: a non-negative integer");
    }
  }
  const entered = priced.map((line) => ({
    ...line,
    vatRateBasisPoints: regime.franchise ? 0 : line.vatRateBasisPoints,
    exemption: regime.franchise ? regime.mention : line.vatRateBasisPoints === 0 ? (line.exemption ?? null) : null,
    includingVatCents: line.unitPriceIncludingVatCents * line.quantity,
  }));
  const bases = new Array<number>(entered.length);
  const byRate: InvoiceTotals["byRate"] = [];
  const rates = [...new Set(entered.map((line) => line.vatRateBasisPoints))].sort((a, b) => b - a);
  for (const rate of rates) {
    const indexes = entered.flatMap((line, index) => (line.vatRateBasisPoints === rate ? [index] : []));
    const exemptions = new Set(indexes.map((index) => entered[index].exemption));
    if (exemptions.size > 1) throw new RangeError(`lines at ${rate} basis points carry different exemption mentions`);
    const divisor = BASIS + rate;
    const including = indexes.reduce((sum, index) => sum + entered[index].includingVatCents, 0);
    const base = divideHalfUp(including * BASIS, divisor);
    const dropped = indexes.map((index) => {
      const scaled = entered[index].includingVatCents * BASIS;
      const fraction = scaled % divisor;
      bases[index] = (scaled - fraction) / divisor;
      return { index, fraction };
    });
    let left = base - indexes.reduce((sum, index) => sum + bases[index], 0);
    // Stable sort: among equal fractions the earlier line comes first.
    for (const { index } of dropped.sort((a, b) => b.fraction - a.fraction)) {
      if (left === 0) break;
      bases[index] += 1;
      left -= 1;
    }
    byRate.push({
      vatRateBasisPoints: rate,
      excludingVatCents: base,
      vatCents: including - base,
      exemption: [...exemptions][0],
    });
  }
  const lines = entered.map((line, index): InvoiceLine => ({
    description: line.description,
    quantity: line.quantity,
    unitPriceIncludingVatCents: line.unitPriceIncludingVatCents,
    vatRateBasisPoints: line.vatRateBasisPoints,
    excludingVatCents: bases[index],
    vatCents: line.includingVatCents - bases[index],
    includingVatCents: line.includingVatCents,
  }));
  const sum = (key: "excludingVatCents" | "vatCents") => byRate.reduce((total, rate) => total + rate[key], 0);
  return {
    lines,
    totals: {
      excludingVatCents: sum("excludingVatCents"),
      vatCents: sum("vatCents"),
      includingVatCents: lines.reduce((total, line) => total + line.includingVatCents, 0),
      byRate,
    },
  };
}

/**
 * The VAT an individual's receipt shows, per rate, for tickets priced VAT included at their types' rates: computed
 * as an invoice's (invoiceAmounts), so a receipt and an invoice of the same tickets never disagree. Rates with no
 * VAT (0 %) are left out.
 */
export function receiptVat(
  tickets: { priceCents: number; vatRateBasisPoints: number }[],
): { vatRateBasisPoints: number; vatCents: number }[] {
  const priced = tickets
    .filter((ticket) => ticket.priceCents > 0)
    .map((ticket) => ({
      description: "",
      quantity: 1,
      unitPriceIncludingVatCents: ticket.priceCents,
      vatRateBasisPoints: ticket.vatRateBasisPoints,
    }));
  if (priced.length === 0) return [];
  return invoiceAmounts(priced, { franchise: false })
    .totals.byRate.filter((part) => part.vatRateBasisPoints > 0)
    .map(({ vatRateBasisPoints, vatCents }) => ({ vatRateBasisPoints, vatCents }));
}
