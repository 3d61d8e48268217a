import { describe, expect, it } from "vitest";
import { checkBic, checkIban, checkSiren, checkSiret, checkVatNumber, frenchVatKey } from "./identifiers";

describe("SIREN and SIRET", () => {
  it("accept real numbers as people type them, normalised to their digits", () => {
    expect(checkSiren("732 829 320")).toEqual({ ok: true, value: "732829320" });
    expect(checkSiren("552.100.554")).toEqual({ ok: true, value: "552100554" });
    expect(checkSiret("732 829 320 00074")).toEqual({ ok: true, value: "73282932000074" });
    expect(checkSiret("55210055400013")).toEqual({ ok: true, value: "55210055400013" });
  });

  it("refuse a wrong key, a wrong length, letters and nothing, each with its reason", () => {
    expect(checkSiren("732829321")).toEqual({ ok: false, reason: "invalid_checksum" });
    expect(checkSiren("73282932")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkSiren("73282932A")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkSiren("  ")).toEqual({ ok: false, reason: "empty" });
    expect(checkSiret("73282932000075")).toEqual({ ok: false, reason: "invalid_checksum" });
    expect(checkSiret("7328293200007")).toEqual({ ok: false, reason: "invalid_format" });
  });

  it("refuse a SIRET whose own key is right but whose SIREN part is not a SIREN", () => {
    // The 14 digits pass the Luhn key; their first 9 (732829321) do not.
    expect(checkSiret("73282932100007")).toEqual({ ok: false, reason: "invalid_checksum" });
  });

  it("check La Poste's establishments by their digit sum, as INSEE does", () => {
    // 3+5+6+1+2+3+4+6 = 30: divisible by 5, while the Luhn key of these 14 digits is wrong.
    expect(checkSiret("35600000012346")).toEqual({ ok: true, value: "35600000012346" });
    expect(checkSiret("35600000012347")).toEqual({ ok: false, reason: "invalid_checksum" });
    // Another company's SIRET with the same digits' sum gets no such favour.
    expect(checkSiret("73282932012346")).toEqual({ ok: false, reason: "invalid_checksum" });
  });
});

describe("VAT numbers", () => {
  it("compute the French key from the SIREN", () => {
    expect(frenchVatKey("732829320")).toBe("44");
    expect(frenchVatKey("552100554")).toBe("96");
    expect(checkVatNumber("fr 44 732 829 320")).toEqual({ ok: true, value: "FR44732829320" });
    expect(checkVatNumber("FR45732829320")).toEqual({ ok: false, reason: "invalid_checksum" });
    // The key is right for a SIREN whose own key is wrong.
    expect(checkVatNumber(`FR${frenchVatKey("732829321")}732829321`)).toEqual({
      ok: false,
      reason: "invalid_checksum",
    });
    expect(checkVatNumber("FR4473282932")).toEqual({ ok: false, reason: "invalid_format" });
  });

  it.each([
    "DE136695976",
    "ATU13585627",
    "BE0403170701",
    "DK13585628",
    "ESA28015865",
    "ESB58378431",
    "ESX2482300W",
    "ES12345678Z",
    "FI01120389",
    "IE6388047V",
    "IE8Z49289F",
    "IT00743110157",
    "LU15027442",
    "NL004495445B01",
    "PL5260250995",
    "PT501964843",
    "SE556188840401",
    "HR33392005961",
  ])("accept %s", (number) => {
    expect(checkVatNumber(number)).toEqual({ ok: true, value: number });
  });

  it.each([
    "DE136695978",
    "ATU13585626",
    "BE0403170702",
    "DK13585629",
    "ESA28015866",
    "ESX2482300A",
    "FI01120388",
    "IE6388047W",
    "IT00743110158",
    "LU15027443",
    "NL004495446B01",
    "PL5260250996",
    "PT501964844",
    "SE556188840501",
    "HR33392005962",
  ])("refuse %s for its key", (number) => {
    expect(checkVatNumber(number)).toEqual({ ok: false, reason: "invalid_checksum" });
  });

  it("refuse a wrong shape, an unknown prefix and nothing; accept Greece's GR as its EL", () => {
    expect(checkVatNumber("DE13669597")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkVatNumber("AT13585627")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkVatNumber("SE556188840402")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkVatNumber("NL004495445X01")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkVatNumber("GB123456789")).toEqual({ ok: false, reason: "unknown_country" });
    expect(checkVatNumber("123456789")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkVatNumber("")).toEqual({ ok: false, reason: "empty" });
    expect(checkVatNumber("GR 094 014 201")).toEqual({ ok: true, value: "EL094014201" });
  });
});

describe("IBAN and BIC", () => {
  it("accept a French IBAN typed in groups, normalised without spaces", () => {
    expect(checkIban("FR76 3000 6000 0112 3456 7890 189")).toEqual({ ok: true, value: "FR7630006000011234567890189" });
    expect(checkIban("de89 3704 0044 0532 0130 00")).toEqual({ ok: true, value: "DE89370400440532013000" });
  });

  it("refuse a wrong key, a wrong length, an unknown country and nothing", () => {
    expect(checkIban("FR77 3000 6000 0112 3456 7890 189")).toEqual({ ok: false, reason: "invalid_checksum" });
    expect(checkIban("FR76 3000 6000 0112 3456 7890 18")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkIban("QQ76 3000 6000 0112 3456 7890 189")).toEqual({ ok: false, reason: "unknown_country" });
    expect(checkIban("")).toEqual({ ok: false, reason: "empty" });
  });

  it("accept 8- and 11-character BICs and refuse others", () => {
    expect(checkBic("bnpa fr pp xxx")).toEqual({ ok: true, value: "BNPAFRPPXXX" });
    expect(checkBic("AGRIFRPP")).toEqual({ ok: true, value: "AGRIFRPP" });
    expect(checkBic("AGRIFRP")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkBic("AGRIQQPP")).toEqual({ ok: false, reason: "invalid_format" });
    expect(checkBic("")).toEqual({ ok: false, reason: "empty" });
  });
});
