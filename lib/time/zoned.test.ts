import { describe, expect, it } from "vitest";
import { zonedTimeToUtc } from "./zoned";

describe("zonedTimeToUtc", () => {
  it("converts Paris summer and winter wall-clock times to UTC", () => {
    expect(zonedTimeToUtc("2027-05-20", "09:00", "Europe/Paris").toISOString()).toBe("2027-05-20T07:00:00.000Z");
    expect(zonedTimeToUtc("2027-11-18", "09:00", "Europe/Paris").toISOString()).toBe("2027-11-18T08:00:00.000Z");
  });
  it("handles the days the clocks change", () => {
    expect(zonedTimeToUtc("2027-03-28", "12:00", "Europe/Paris").toISOString()).toBe("2027-03-28T10:00:00.000Z");
    expect(zonedTimeToUtc("2027-10-31", "12:00", "Europe/Paris").toISOString()).toBe("2027-10-31T11:00:00.000Z");
  });
  it("works for zones west of UTC", () => {
    expect(zonedTimeToUtc("2027-01-15", "18:30", "America/Montreal").toISOString()).toBe("2027-01-15T23:30:00.000Z");
  });
});
