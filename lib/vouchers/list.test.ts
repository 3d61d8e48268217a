import { describe, expect, it } from "vitest";
import { voucherState } from "./list";

const now = new Date("2027-03-01T10:00:00Z");
const code = (overrides: Partial<Parameters<typeof voucherState>[0]> = {}) => ({
  active: true,
  used: 0,
  maxUses: 10,
  validFrom: null,
  validUntil: null,
  ...overrides,
});

describe("a code's state in the back office", () => {
  it("is active only while checkout would take it", () => {
    expect(voucherState(code(), now)).toBe("active");
    expect(voucherState(code({ used: 9, validUntil: new Date("2027-03-01T10:00:01Z") }), now)).toBe("active");
    expect(voucherState(code({ active: false, used: 10 }), now)).toBe("deactivated");
    expect(voucherState(code({ used: 10 }), now)).toBe("usedUp");
    expect(voucherState(code({ validUntil: now }), now)).toBe("expired");
    expect(voucherState(code({ validFrom: new Date("2027-03-02T00:00:00Z") }), now)).toBe("notYetValid");
  });
});
