import { describe, expect, it } from "vitest";
import { invoiceAmounts, receiptVat, type PricedLine } from "./vat";

const NO_FRANCHISE = { franchise: false } as const;
const FRANCHISE_MENTION = "TVA non applicable, art. 293 B du CGI";

// A small seeded generator (mulberry32): the same random orders on every run, so a failure can be replayed.
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomOrder(random: () => number): PricedLine[] {
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  return Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => ({
    description: `Ticket ${i}`,
    quantity: 1 + Math.floor(random() * pick([1, 3, 20, 500])),
    unitPriceIncludingVatCents: Math.floor(random() * pick([10, 1_000, 10_000, 200_000])),
    vatRateBasisPoints: pick([2000, 1000, 550, 210, 0]),
  }));
}

// Independent of the code under test: n / d half up is the B with B − ½ ≤ n / d < B + ½.
const isHalfUp = (quotient: number, n: number, d: number) => -d <= 2 * (n - quotient * d) && 2 * (n - quotient * d) < d;

describe("invoiceAmounts", () => {
  it("derives the amounts excluding VAT of a simple order", () => {
    const { lines, totals } = invoiceAmounts(
      [
        { description: "Conference", quantity: 3, unitPriceIncludingVatCents: 4900, vatRateBasisPoints: 2000 },
        { description: "Book", quantity: 1, unitPriceIncludingVatCents: 2500, vatRateBasisPoints: 550 },
      ],
      NO_FRANCHISE,
    );
    expect(lines.map((line) => [line.excludingVatCents, line.vatCents, line.includingVatCents])).toEqual([
      [12250, 2450, 14700],
      [2370, 130, 2500],
    ]);
    expect(totals).toEqual({
      excludingVatCents: 14620,
      vatCents: 2580,
      includingVatCents: 17200,
      byRate: [
        { vatRateBasisPoints: 2000, excludingVatCents: 12250, vatCents: 2450, exemption: null },
        { vatRateBasisPoints: 550, excludingVatCents: 2370, vatCents: 130, exemption: null },
      ],
    });
  });

  it("gives the rate's rounding cent to the line with the largest dropped fraction, the first on a tie", () => {
    const line = (description: string, cents: number) => ({
      description,
      quantity: 1,
      unitPriceIncludingVatCents: cents,
      vatRateBasisPoints: 2000,
    });
    // 100 / 1.2 = 83.33 three times: 249 rounded down, the rate's base is 250.
    const ties = invoiceAmounts([line("a", 100), line("b", 100), line("c", 100)], NO_FRANCHISE);
    expect(ties.lines.map((l) => l.excludingVatCents)).toEqual([84, 83, 83]);
    expect(ties.totals.byRate[0]).toMatchObject({ excludingVatCents: 250, vatCents: 50 });
    // 101 / 1.2 = 84.17, 110 / 1.2 = 91.67: the second line's fraction is the larger.
    const larger = invoiceAmounts([line("a", 101), line("b", 110), line("c", 100)], NO_FRANCHISE);
    expect(larger.lines.map((l) => l.excludingVatCents)).toEqual([84, 92, 83]);
    expect(larger.totals.byRate[0].excludingVatCents).toBe(259);
  });

  it("rounds the rate's base half up", () => {
    // 3 / 1.2 = 2.5 exactly.
    const { totals } = invoiceAmounts(
      [{ description: "x", quantity: 1, unitPriceIncludingVatCents: 3, vatRateBasisPoints: 2000 }],
      NO_FRANCHISE,
    );
    expect(totals).toMatchObject({ excludingVatCents: 3, vatCents: 0, includingVatCents: 3 });
  });

  it("keeps what was paid when base × rate rounded would be a cent more (the one deviation BR-CO-17 tolerates)", () => {
    // 10.05 € at 20 %: base 1005 / 1.2 = 837.5 → 838; VAT 167, where 838 × 20 % = 167.6 would round to 168.
    const { totals } = invoiceAmounts(
      [{ description: "x", quantity: 1, unitPriceIncludingVatCents: 1005, vatRateBasisPoints: 2000 }],
      NO_FRANCHISE,
    );
    expect(totals).toMatchObject({ excludingVatCents: 838, vatCents: 167, includingVatCents: 1005 });
  });

  it("puts no VAT on any line under the franchise, with its mention as the exemption", () => {
    const { lines, totals } = invoiceAmounts(
      [
        { description: "Conference", quantity: 2, unitPriceIncludingVatCents: 4900, vatRateBasisPoints: 2000 },
        { description: "Workshop", quantity: 1, unitPriceIncludingVatCents: 1500, vatRateBasisPoints: 550 },
      ],
      { franchise: true, mention: FRANCHISE_MENTION },
    );
    expect(lines.map((line) => [line.vatRateBasisPoints, line.excludingVatCents, line.vatCents])).toEqual([
      [0, 9800, 0],
      [0, 1500, 0],
    ]);
    expect(totals).toEqual({
      excludingVatCents: 11300,
      vatCents: 0,
      includingVatCents: 11300,
      byRate: [{ vatRateBasisPoints: 0, excludingVatCents: 11300, vatCents: 0, exemption: FRANCHISE_MENTION }],
    });
  });

  it("carries the mention of lines at 0 % and refuses two mentions for one rate", () => {
    const zero = (exemption: string) => ({
      description: exemption,
      quantity: 1,
      unitPriceIncludingVatCents: 1000,
      vatRateBasisPoints: 0,
      exemption,
    });
    expect(invoiceAmounts([zero("Exonération, art. 261 du CGI")], NO_FRANCHISE).totals.byRate).toEqual([
      { vatRateBasisPoints: 0, excludingVatCents: 1000, vatCents: 0, exemption: "Exonération, art. 261 du CGI" },
    ]);
    expect(() => invoiceAmounts([zero("one"), zero("another")], NO_FRANCHISE)).toThrow(/different exemption/);
  });

  it("refuses quantities and prices that are not whole", () => {
    const line = { description: "x", quantity: 1, unitPriceIncludingVatCents: 100, vatRateBasisPoints: 2000 };
    expect(() => invoiceAmounts([{ ...line, quantity: 0 }], NO_FRANCHISE)).toThrow(RangeError);
    expect(() => invoiceAmounts([{ ...line, unitPriceIncludingVatCents: 9.5 }], NO_FRANCHISE)).toThrow(RangeError);
    expect(() => invoiceAmounts([{ ...line, vatRateBasisPoints: -1 }], NO_FRANCHISE)).toThrow(RangeError);
  });

  it("adds up on 5,000 random orders: what was paid, per rate, per line, within a cent of BR-CO-17", () => {
    const random = seededRandom(16);
    let categoriesOffByACent = 0;
    for (let n = 0; n < 5_000; n++) {
      const priced = randomOrder(random);
      const { lines, totals } = invoiceAmounts(priced, NO_FRANCHISE);
      const paid = priced.reduce((sum, line) => sum + line.quantity * line.unitPriceIncludingVatCents, 0);
      // (a) the total VAT included is what the buyer paid, and the totals are their rates' sums.
      expect(totals.includingVatCents).toBe(paid);
      expect(totals.excludingVatCents + totals.vatCents).toBe(paid);
      expect(totals.excludingVatCents).toBe(totals.byRate.reduce((sum, rate) => sum + rate.excludingVatCents, 0));
      expect(totals.vatCents).toBe(totals.byRate.reduce((sum, rate) => sum + rate.vatCents, 0));
      expect(new Set(totals.byRate.map((rate) => rate.vatRateBasisPoints)).size).toBe(totals.byRate.length);
      for (const rate of totals.byRate) {
        const r = rate.vatRateBasisPoints;
        const d = 10_000 + r;
        const atRate = lines.filter((line) => line.vatRateBasisPoints === r);
        const including = atRate.reduce((sum, line) => sum + line.includingVatCents, 0);
        // (b) the rate's base is its TTC / (1 + r) half up, its VAT the rest.
        expect(isHalfUp(rate.excludingVatCents, including * 10_000, d)).toBe(true);
        expect(rate.vatCents).toBe(including - rate.excludingVatCents);
        // (c) its lines' bases add up to it, each its exact share rounded down or up.
        expect(atRate.reduce((sum, line) => sum + line.excludingVatCents, 0)).toBe(rate.excludingVatCents);
        for (const line of atRate) {
          expect(Math.abs(line.excludingVatCents * d - line.includingVatCents * 10_000)).toBeLessThan(d);
        }
        // BR-CO-17 within one cent.
        const vatOfBase = Math.round((rate.excludingVatCents * r) / 10_000);
        expect(Math.abs(rate.vatCents - vatOfBase)).toBeLessThanOrEqual(1);
        if (rate.vatCents !== vatOfBase) categoriesOffByACent += 1;
      }
      lines.forEach((line, i) => {
        // (d) a line's VAT is its TTC minus its base, never negative.
        expect(line.includingVatCents).toBe(priced[i].quantity * priced[i].unitPriceIncludingVatCents);
        expect(line.vatCents).toBe(line.includingVatCents - line.excludingVatCents);
        expect(line.vatCents).toBeGreaterThanOrEqual(0);
      });
    }
    // The cent BR-CO-17's tolerance absorbs does occur: the rule above is what makes it no more than one.
    expect(categoriesOffByACent).toBeGreaterThan(0);
  });

  it("under the franchise, on 1,000 random orders: no VAT, each base its TTC", () => {
    const random = seededRandom(293);
    for (let n = 0; n < 1_000; n++) {
      const priced = randomOrder(random);
      const { lines, totals } = invoiceAmounts(priced, { franchise: true, mention: FRANCHISE_MENTION });
      expect(lines.every((line) => line.vatCents === 0 && line.excludingVatCents === line.includingVatCents)).toBe(
        true,
      );
      expect(totals.byRate).toEqual([
        {
          vatRateBasisPoints: 0,
          excludingVatCents: totals.includingVatCents,
          vatCents: 0,
          exemption: FRANCHISE_MENTION,
        },
      ]);
    }
  });
});

describe("an individual's receipt", () => {
  it("shows the VAT of each rate its tickets' types carry, as an invoice of the same tickets would", () => {
    expect(receiptVat([{ priceCents: 4900, vatRateBasisPoints: 2000 }])).toEqual([
      { vatRateBasisPoints: 2000, vatCents: 817 },
    ]);
    const tickets = [
      { priceCents: 4900, vatRateBasisPoints: 2000 },
      { priceCents: 4900, vatRateBasisPoints: 2000 },
      { priceCents: 5500, vatRateBasisPoints: 550 },
      { priceCents: 3000, vatRateBasisPoints: 0 },
      { priceCents: 0, vatRateBasisPoints: 2000 },
    ];
    expect(receiptVat(tickets)).toEqual([
      { vatRateBasisPoints: 2000, vatCents: 1633 },
      { vatRateBasisPoints: 550, vatCents: 287 },
    ]);
    const invoiced = invoiceAmounts(
      tickets.map((ticket) => ({
        description: "",
        quantity: 1,
        unitPriceIncludingVatCents: ticket.priceCents,
        vatRateBasisPoints: ticket.vatRateBasisPoints,
        exemption: ticket.vatRateBasisPoints === 0 ? "Exonération" : null,
      })),
      { franchise: false },
    );
    expect(invoiced.totals.vatCents).toBe(1633 + 287);
    expect(receiptVat([{ priceCents: 0, vatRateBasisPoints: 2000 }])).toEqual([]);
  });
});
