import { describe, expect, it } from "vitest";
import { csvLines, escapeCsvCell } from "./csv";

describe("escapeCsvCell", () => {
  it("neutralises cells a spreadsheet would run as formulas", () => {
    expect(escapeCsvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(escapeCsvCell("+33 6 12 34 56 78")).toBe("'+33 6 12 34 56 78");
    expect(escapeCsvCell("-1")).toBe("'-1");
    expect(escapeCsvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(escapeCsvCell(-1)).toBe("-1");
  });
  it("quotes separators, quotes and line breaks, and keeps accents", () => {
    expect(escapeCsvCell("Dupont, Jean")).toBe('"Dupont, Jean"');
    expect(escapeCsvCell('Le "Guichet"')).toBe('"Le ""Guichet"""');
    expect(escapeCsvCell("ligne 1\nligne 2")).toBe('"ligne 1\nligne 2"');
    expect(escapeCsvCell("Émilie Châtelet")).toBe("Émilie Châtelet");
    expect(escapeCsvCell(null)).toBe("");
  });
  it("quotes a semicolon or a tab too, where French-locale Excel would split the cell", () => {
    expect(escapeCsvCell("Dupont;Jean")).toBe('"Dupont;Jean"');
    expect(escapeCsvCell("a\tb")).toBe('"a\tb"');
  });
  it("neutralises a formula after a separator or a line break inside the cell", () => {
    expect(escapeCsvCell("Dupont;=1+2")).toBe(`"Dupont;'=1+2"`);
    expect(escapeCsvCell("Dupont,@SUM(A1)")).toBe(`"Dupont,'@SUM(A1)"`);
    expect(escapeCsvCell("x\n=cmd|' /C calc'!A0")).toBe(`"x\n'=cmd|' /C calc'!A0"`);
    expect(escapeCsvCell("Saint-Denis")).toBe("Saint-Denis");
  });
});

describe("csvLines", () => {
  it("starts with a BOM and pulls rows only as lines are read", async () => {
    let pulled = 0;
    async function* rows() {
      for (let i = 0; i < 3; i++) {
        pulled += 1;
        yield [i, `name ${i}`];
      }
    }
    const lines = csvLines(["n", "name"], rows());
    expect((await lines.next()).value).toBe("\uFEFFn,name\r\n");
    expect(pulled).toBe(0);
    expect((await lines.next()).value).toBe("0,name 0\r\n");
    expect(pulled).toBe(1);
  });
});
