import { describe, expect, it } from "vitest";
import { niceStep, zeroBasedTicks } from "./chart-scale";

describe("chart scales", () => {
  it("start at zero and end at a round number just above the data, never at the capacity", () => {
    expect(zeroBasedTicks(12)).toEqual([0, 5, 10, 15]);
    expect(zeroBasedTicks(300)).toEqual([0, 100, 200, 300]);
    expect(zeroBasedTicks(3)).toEqual([0, 1, 2, 3]);
  });

  it("count whole registrations: no half ticks, and an empty chart still has an axis", () => {
    expect(zeroBasedTicks(1)).toEqual([0, 1]);
    expect(zeroBasedTicks(0)).toEqual([0, 1]);
  });

  it("step by 1, 2 or 5 times a power of ten", () => {
    expect([7, 45, 90, 180, 999].map((span) => niceStep(span, 8))).toEqual([1, 10, 20, 50, 200]);
  });
});
