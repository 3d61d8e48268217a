import { describe, expect, it } from "vitest";
import en from "./messages/en.json" with { type: "json" };
import fr from "./messages/fr.json" with { type: "json" };
import { formatDateRange, formatDateTime, formatMoney, localized, zoneName } from "./format";

// CLDR: a no-break space before the euro sign, a narrow no-break space between thousands.
const NBSP = "\u00a0";
const NNBSP = "\u202f";

describe("formatMoney", () => {
  it("writes euros the French and the English way", () => {
    expect(formatMoney(4900, "EUR", "fr")).toBe(`49,00${NBSP}€`);
    expect(formatMoney(4900, "EUR", "en")).toBe("€49.00");
    expect(formatMoney(123456, "EUR", "fr")).toBe(`1${NNBSP}234,56${NBSP}€`);
  });
});

describe("formatDateRange", () => {
  it("shows UTC instants in the edition's time zone", () => {
    const text = formatDateRange(
      new Date("2027-05-20T07:00:00Z"),
      new Date("2027-05-20T16:00:00Z"),
      "Europe/Paris",
      "fr",
    );
    expect(text).toContain("20 mai 2027");
    expect(text).toContain("09:00");
    expect(text).toContain("18:00");
  });
});

describe("formatDateTime", () => {
  it("names the zone after its city, so a time is never ambiguous", () => {
    expect(formatDateTime(new Date("2027-01-10T09:30:00Z"), "Europe/Paris", "en")).toBe(
      "January 10, 2027 at 10:30 AM (Paris time)",
    );
    expect(formatDateTime(new Date("2027-01-10T09:30:00Z"), "Europe/Paris", "fr")).toBe(
      "10 janvier 2027 à 10:30 (heure de Paris)",
    );
    expect(formatDateTime(new Date("2027-07-10T09:30:00Z"), "Europe/Paris", "fr")).toBe(
      "10 juillet 2027 à 11:30 (heure de Paris)",
    );
  });

  it("elides before a vowel in French, spells out cities with spaces, gives the offset of zones without a city", () => {
    expect(zoneName("Europe/Amsterdam", "fr")).toBe("heure d’Amsterdam");
    expect(zoneName("America/New_York", "en")).toBe("New York time");
    expect(zoneName("UTC", "fr")).toBe("UTC");
    expect(zoneName("Etc/GMT+2", "en")).toBe("GMT-2");
  });
});

describe("localized", () => {
  it("picks the field of the reader's language", () => {
    expect(localized({ nameFr: "Bonjour", nameEn: "Hello" }, "name", "fr")).toBe("Bonjour");
    expect(localized({ nameFr: "Bonjour", nameEn: "Hello" }, "name", "en")).toBe("Hello");
  });
});

describe("message catalogues", () => {
  function keysOf(messages: object, prefix = ""): string[] {
    return Object.entries(messages).flatMap(([key, value]) =>
      typeof value === "object" ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    );
  }
  it("have the same keys in French and English", () => {
    expect(keysOf(fr).sort()).toEqual(keysOf(en).sort());
  });
});
