import { describe, expect, it } from "vitest";
import { formatRate, vatIncludedCents } from "./money";

describe("vatIncludedCents", () => {
  it("extracts the VAT a VAT-inclusive price contains", () => {
    expect(vatIncludedCents(12000, 2000)).toBe(2000);
    expect(vatIncludedCents(4900, 2000)).toBe(817);
    expect(vatIncludedCents(4900, 550)).toBe(255);
    expect(vatIncludedCents(4900, 0)).toBe(0);
  });
  it("writes the rate each language's way", () => {
    expect(formatRate(2000, "en")).toBe("20%");
    expect(formatRate(550, "fr")).toBe("5,5\u00a0%");
  });
});
