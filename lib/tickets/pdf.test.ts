import { describe, expect, it } from "vitest";
import { pdfFontFacts } from "@/devtools/testing/pdf-text";
import { createRequire } from "node:module";
import { renderTicketsPdf, type PdfTicket } from "./pdf";
import { fontFile, fontRuns } from "@/lib/pdf/fonts";

// pdfkit's own font reader (no types of its own): asks a font file whether it has a glyph.
const fontkit = createRequire(import.meta.url)("fontkit") as {
  create(bytes: Buffer): { hasGlyphForCodePoint(codePoint: number): boolean };
};

const NAMES = ["Łukasz Dvořák", "Ελένη Παπαδοπούλου", "Юлия Смирнова", "李小龍", "山田さくら"];

const ticket = (holder: string): PdfTicket => ({
  code: `G1${"A".repeat(132)}`,
  holder,
  company: "Müller-Łęcka GmbH",
  ticketType: "Standard",
  editionName: "Open Cloud Paris #12",
  when: "20 mai 2027, 09:00\u202f–\u202f18:00",
  where: "Station F, Paris",
  reference: "AB12-CD34",
});

describe("PDF tickets", () => {
  it("embed Unicode fonts, so Polish, Czech, Greek, Cyrillic and CJK names keep every character", async () => {
    const pdf = await renderTicketsPdf(NAMES.map(ticket), "fr");
    const facts = pdfFontFacts(pdf);
    expect(facts.baseFonts.some((name) => name.endsWith("+DejaVuSans-Bold"))).toBe(true);
    expect(facts.baseFonts.some((name) => name.includes("NotoSansSC"))).toBe(true);
    expect(facts.embeddedFiles).toBeGreaterThanOrEqual(3);
    for (const text of [...NAMES, "Müller-Łęcka GmbH", "09:00\u202f–\u202f18:00"]) {
      expect(
        [...text].filter((character) => character !== " " && !facts.characters.has(character)),
        text,
      ).toEqual([]);
    }
  });

  it("draw each character with a font that has it, also when one line mixes scripts", () => {
    for (const text of ["Ŝtelo Ωmega 東京", "Zoë Łukasiewicz-Dvořák", "山田さくら (Yamada)", "Юлия 李"]) {
      for (const bold of [false, true]) {
        const runs = fontRuns(text, { bold });
        expect(runs.map((run) => run.text).join("")).toBe(text);
        for (const run of runs) {
          const font = fontkit.create(fontFile(run.font));
          const missing = [...run.text].filter(
            (character) => !/\s/.test(character) && !font.hasGlyphForCodePoint(character.codePointAt(0)!),
          );
          expect(missing, `${run.font}: ${run.text}`).toEqual([]);
        }
      }
    }
    expect(fontRuns("Ŝtelo Ωmega 東京").map((run) => run.font)).toEqual(["text", "cjk"]);
  });
});
