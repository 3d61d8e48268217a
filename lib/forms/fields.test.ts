import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { z } from "zod";
import { fieldErrorsOfEach, optionalLine, requiredLine } from "./fields";

const codesFor = (value: string) => {
  const parsed = requiredLine(100).safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe("single-line text (names, companies)", () => {
  it("refuses bidi overrides and isolates, zero-width characters, C1 controls and line separators", () => {
    for (const spoof of [
      "\u202egnp.exe",
      "Admin\u2066\u2069",
      "\u200f\u202dEvil\u202c",
      "Ad\u200bmin",
      "Ada\u200dm",
      "Ad\ufeffa",
      "\u061cAda",
    ]) {
      expect(codesFor(spoof), JSON.stringify(spoof)).toEqual(["invisible_characters"]);
    }
    for (const control of ["Nel\u0085Name", "Corp\u2028Line", "Para\u2029graph", "Tab\tName", "a\u0000b"]) {
      expect(codesFor(control), JSON.stringify(control)).toContain("invalid_characters");
    }
    expect(optionalLine(200).safeParse("\u202eCorp").success).toBe(false);
  });

  it("keeps real names in any script, normalised to NFC", () => {
    for (const name of ["Łukasz Dvořák", "Ελένη", "Юлия", "李小龍", "O’Brien-Núñez", "محمد"])
      expect(requiredLine(100).parse(name)).toBe(name);
    expect(requiredLine(100).parse("Jose\u0301")).toBe("José");
  });

  it("explains the refusal in both languages", () => {
    expect(en.fieldError.invisible_characters).toMatch(/invisible/);
    expect(fr.fieldError.invisible_characters).toMatch(/invisibles/);
  });
});

describe("field errors of a form checked in parts", () => {
  it("puts each failed part's codes under its prefix, and nothing for the parts that passed", () => {
    const attendee = z.object({ firstName: requiredLine(100) }).safeParse({ firstName: "" });
    const answers = z.object({ diet: requiredLine(10) }).safeParse({});
    const fine = z.object({ company: optionalLine(10) }).safeParse({ company: "Analytical" });
    expect(fieldErrorsOfEach([attendee, ["attendee"]], [answers, ["answers"]], [fine, ["extra"]])).toEqual({
      "attendee.firstName": ["required"],
      "answers.diet": ["required"],
    });
    expect(fieldErrorsOfEach([fine])).toEqual({});
  });
});
