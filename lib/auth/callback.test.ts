import { describe, expect, it } from "vitest";
import { isCheckInCallback, safeCallback } from "./callback";

describe("sign-in callback", () => {
  it("keeps back-office and scanner paths, and sends anything else to /admin", () => {
    expect(safeCallback("/checkin/open-cloud-paris-12")).toBe("/checkin/open-cloud-paris-12");
    expect(safeCallback("/admin/editions/x")).toBe("/admin/editions/x");
    for (const other of ["https://evil.example/checkin", "//evil.example", "/checkinx", undefined, ["/admin"]]) {
      expect(safeCallback(other)).toBe("/admin");
    }
  });

  it("tells the scanner's sign-in from the back office's", () => {
    expect(isCheckInCallback("/checkin")).toBe(true);
    expect(isCheckInCallback("/checkin/open-cloud-paris-12")).toBe(true);
    expect(isCheckInCallback("/admin")).toBe(false);
  });
});
