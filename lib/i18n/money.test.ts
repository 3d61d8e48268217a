import { describe, expect, it } from "vitest";
import { formatRate } from "./money";

describe("formatRate", () => {
  it("writes the rate each language's way", () => {
    expect(formatRate(2000, "en")).toBe("20%");
    expect(formatRate(550, "fr")).toBe("5,5\u00a0%");
  });
});
