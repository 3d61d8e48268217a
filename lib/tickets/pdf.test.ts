import { describe, expect, it } from "vitest";
import { pdfFontFacts } from "@/lib/testing/pdf-text";
import { renderTicketsPdf, type PdfTicket } from "./pdf";

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
      expect([...text].filter((character) => character !== " " && !facts.characters.has(character)), text).toEqual([]);
    }
  });
});
