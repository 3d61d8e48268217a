import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition } from "@/devtools/testing/fixtures";
import { CODE_ALPHABET, codeKey, generateUniqueCodes, normaliseCode, randomCode } from "./codes";

const { db } = await useTestDatabase();

describe("a typed code", () => {
  it("is read whatever its case, spaces and dashes", () => {
    expect(normaliseCode("  acme k7qx–m3pa ")).toBe("ACME-K7QX-M3PA");
    expect(normaliseCode("ACME--K7QX_M3PA.")).toBe("ACME-K7QX-M3PA");
    expect(normaliseCode("ＡＣＭＥ\u00a0speakers")).toBe("ACME-SPEAKERS");
    expect(codeKey("acme-k7qx m3pa")).toBe("ACMEK7QXM3PA");
    expect(codeKey("ACMEK7QXM3PA")).toBe("ACMEK7QXM3PA");
  });

  it("is refused with anything but letters, digits and separators", () => {
    expect(normaliseCode("ÉTÉ-2027")).toBeNull();
    expect(normaliseCode("SUMMER/24")).toBeNull();
    expect(codeKey("<script>")).toBeNull();
    expect(normaliseCode(" - ")).toBeNull();
  });
});

describe("generated codes", () => {
  it("are grouped by four from an alphabet without 0, O, 1, I or L, after their prefix", () => {
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    const codes = Array.from({ length: 200 }, () => randomCode(null));
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(new Set(codes).size).toBe(200);
    expect(randomCode("ACME")).toMatch(/^ACME-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  });

  it("are unique within a batch and against the edition's codes, another edition's being free to reuse", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const other = await createEdition(db, { capacity: 10 });
    await db.voucher.create({
      data: { editionId: edition.id, code: "TAKE-N222", codeKey: "TAKEN222", effect: "FREE" },
    });
    // A source that repeats itself and draws the existing code (hyphenated differently) before fresh ones.
    const draws = ["TAKEN-222", "AAAA-2222", "AAAA-2222", "TAKE-N222", "BBBB-3333", "CCCC-4444"];
    const sequence = () => {
      const next = draws.shift();
      if (!next) throw new Error("drawn out");
      return next;
    };
    expect(await generateUniqueCodes(db, edition.id, { count: 3, prefix: null }, sequence)).toEqual([
      "AAAA-2222",
      "BBBB-3333",
      "CCCC-4444",
    ]);
    const reuse = ["TAKE-N222"];
    expect(await generateUniqueCodes(db, other.id, { count: 1, prefix: null }, () => reuse.shift()!)).toEqual([
      "TAKE-N222",
    ]);
  });

  it("come in batches of 1 to 1000", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    await expect(generateUniqueCodes(db, edition.id, { count: 0, prefix: null })).rejects.toThrow(RangeError);
    await expect(generateUniqueCodes(db, edition.id, { count: 1001, prefix: null })).rejects.toThrow(RangeError);
    const codes = await generateUniqueCodes(db, edition.id, { count: 1000, prefix: "SPONSOR" });
    expect(new Set(codes.map((code) => code.replaceAll("-", ""))).size).toBe(1000);
    expect(codes.every((code) => code.startsWith("SPONSOR-"))).toBe(true);
  });
});
