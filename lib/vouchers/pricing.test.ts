import { describe, expect, it } from "vitest";
import { priceWithVoucher } from "./pricing";

const percent = (percentOff: number) => ({ effect: "PERCENT_OFF", percentOff }) as const;

describe("the price of a ticket with a voucher", () => {
  it("takes a percentage off, the price rounded to the nearest cent, halves up", () => {
    expect(priceWithVoucher(1999, percent(15), "EUR")).toEqual({ priceCents: 1699, discountCents: 300 });
    expect(priceWithVoucher(10000, percent(20), "EUR")).toEqual({ priceCents: 8000, discountCents: 2000 });
    // 33 % off 10,05 € is 6,7335 €, which rounds down; 50 % off 1,01 € is 0,505 €, which rounds up.
    expect(priceWithVoucher(1005, percent(33), "EUR").priceCents).toBe(673);
    expect(priceWithVoucher(101, percent(50), "USD").priceCents).toBe(51);
    expect(priceWithVoucher(25000, percent(100), "EUR")).toEqual({ priceCents: 0, discountCents: 25000 });
  });

  it("takes a fixed amount off, never below zero", () => {
    expect(priceWithVoucher(25000, { effect: "AMOUNT_OFF", amountCents: 5000 }, "EUR")).toEqual({
      priceCents: 20000,
      discountCents: 5000,
    });
    expect(priceWithVoucher(3000, { effect: "AMOUNT_OFF", amountCents: 5000 }, "EUR")).toEqual({
      priceCents: 0,
      discountCents: 3000,
    });
  });

  it("sets a fixed price, which never raises the list price", () => {
    expect(priceWithVoucher(25000, { effect: "FIXED_PRICE", amountCents: 9900 }, "EUR")).toEqual({
      priceCents: 9900,
      discountCents: 15100,
    });
    expect(priceWithVoucher(5000, { effect: "FIXED_PRICE", amountCents: 9900 }, "EUR")).toEqual({
      priceCents: 5000,
      discountCents: 0,
    });
    expect(priceWithVoucher(5000, { effect: "FIXED_PRICE", amountCents: 0 }, "EUR").priceCents).toBe(0);
  });

  it("makes any ticket free, a free one included", () => {
    expect(priceWithVoucher(25000, { effect: "FREE" }, "EUR")).toEqual({ priceCents: 0, discountCents: 25000 });
    expect(priceWithVoucher(0, { effect: "FREE" }, "EUR")).toEqual({ priceCents: 0, discountCents: 0 });
    expect(priceWithVoucher(0, percent(20), "EUR")).toEqual({ priceCents: 0, discountCents: 0 });
  });

  it("raises a price left below the currency's minimum charge to that minimum, never above the list price", () => {
    expect(priceWithVoucher(1000, { effect: "AMOUNT_OFF", amountCents: 980 }, "EUR")).toEqual({
      priceCents: 50,
      discountCents: 950,
    });
    expect(priceWithVoucher(1000, percent(99), "GBP").priceCents).toBe(30);
    expect(priceWithVoucher(1000, { effect: "FIXED_PRICE", amountCents: 10 }, "CHF").priceCents).toBe(50);
  });

  it("refuses a list price that is not a whole, positive number of cents", () => {
    expect(() => priceWithVoucher(-1, { effect: "FREE" }, "EUR")).toThrow(RangeError);
    expect(() => priceWithVoucher(10.5, { effect: "FREE" }, "EUR")).toThrow(RangeError);
  });
});
