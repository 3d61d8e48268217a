import { describe, expect, it } from "vitest";
import { isTimeZone, utcToZonedLocal, zonedLocalToUtc } from "./zoned";

describe("wall-clock times in an edition's time zone", () => {
  it("reads a Paris summer and winter time as UTC", () => {
    expect(zonedLocalToUtc("2027-05-20T09:00", "Europe/Paris")?.toISOString()).toBe("2027-05-20T07:00:00.000Z");
    expect(zonedLocalToUtc("2027-01-20T09:00", "Europe/Paris")?.toISOString()).toBe("2027-01-20T08:00:00.000Z");
    expect(zonedLocalToUtc("2027-01-20T09:00", "America/New_York")?.toISOString()).toBe("2027-01-20T14:00:00.000Z");
  });

  it("refuses a time skipped by the spring change and takes the first of an autumn repeat", () => {
    expect(zonedLocalToUtc("2027-03-28T02:30", "Europe/Paris")).toBeNull();
    expect(zonedLocalToUtc("2027-10-31T02:30", "Europe/Paris")?.toISOString()).toBe("2027-10-31T00:30:00.000Z");
  });

  it("refuses malformed values, impossible dates and unknown zones", () => {
    expect(zonedLocalToUtc("2027-02-30T09:00", "Europe/Paris")).toBeNull();
    expect(zonedLocalToUtc("20/05/2027 09:00", "Europe/Paris")).toBeNull();
    expect(zonedLocalToUtc("2027-05-20T09:00", "Mars/Olympus")).toBeNull();
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("handles the days the clocks change and zones west of UTC", () => {
    expect(zonedLocalToUtc("2027-03-28T12:00", "Europe/Paris")?.toISOString()).toBe("2027-03-28T10:00:00.000Z");
    expect(zonedLocalToUtc("2027-10-31T12:00", "Europe/Paris")?.toISOString()).toBe("2027-10-31T11:00:00.000Z");
    expect(zonedLocalToUtc("2027-01-15T18:30", "America/Montreal")?.toISOString()).toBe("2027-01-15T23:30:00.000Z");
  });

  it("shows an instant back as the same wall-clock value", () => {
    expect(utcToZonedLocal(new Date("2027-05-20T07:00:00Z"), "Europe/Paris")).toBe("2027-05-20T09:00");
    expect(utcToZonedLocal(new Date("2027-10-31T01:30:00Z"), "Europe/Paris")).toBe("2027-10-31T02:30");
  });
});
