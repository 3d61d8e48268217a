import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { pdfFontFacts, pdfText } from "@/devtools/testing/pdf-text";
import { formatDuration, renderCertificatePdf, type CertificateData } from "./pdf";

// A signature-like PNG: a dark stroke across a transparent image.
function signaturePng(): Buffer {
  const png = new PNG({ width: 300, height: 100 });
  for (let x = 20; x < 280; x += 1) {
    const y = 50 + Math.round(20 * Math.sin(x / 20));
    for (const dy of [0, 1, 2]) png.data.set([20, 30, 90, 255], ((y + dy) * 300 + x) * 4);
  }
  return PNG.sync.write(png);
}

const data = (overrides: Partial<CertificateData> = {}): CertificateData => ({
  holder: "Ada Lovelace",
  company: "Analytical Engines",
  editionName: "Open Cloud Paris #12",
  // 20 and 21 May in Paris; the end is 21 May 18:30 local, already the 21st in UTC too.
  startsAt: new Date("2027-05-20T07:00:00Z"),
  endsAt: new Date("2027-05-21T16:30:00Z"),
  timeZone: "Europe/Paris",
  venueName: "Station F",
  venueAddress: "5 parvis Alan Turing, 75013 Paris",
  minutes: 450,
  reference: "AB12-CD34-2",
  organiser: {
    legalName: "Open Cloud Paris SAS",
    addressLines: ["327 rue de Charenton"],
    postcode: "75012",
    city: "Paris",
    siret: "73282932000074",
  },
  signatoryName: "Camille Martin",
  signatoryTitle: "Présidente",
  signature: signaturePng(),
  ...overrides,
});

describe("the certificate of attendance PDF", () => {
  it("says in French who attended what, when, where, how long, by whom, with its reference and signature", async () => {
    const pdf = await renderCertificatePdf(data(), "fr");
    const text = pdfText(pdf);
    for (const line of [
      "Open Cloud Paris SAS",
      "327 rue de Charenton",
      "75012 Paris",
      "SIRET 73282932000074",
      "Attestation de présence",
      "Open Cloud Paris SAS atteste que",
      "Ada Lovelace",
      "Analytical Engines",
      "a participé à l’événement",
      "Open Cloud Paris #12",
      "Dates\u00a0: 20–21 mai 2027",
      "Lieu\u00a0: Station F, 5 parvis Alan Turing, 75013 Paris",
      "Durée\u00a0: 7\u00a0h\u00a030",
      "Fait le 21 mai 2027",
      "Référence AB12-CD34-2",
      "Camille Martin",
      "Présidente",
    ]) {
      expect(text.split("\n"), line).toContain(line);
    }
    expect(pdf.toString("latin1")).toMatch(/\/Subtype \/Image/);
  });

  it("says the same in English, and the edition's name stands as organiser without an organiser profile", async () => {
    const text = pdfText(await renderCertificatePdf(data({ organiser: null, company: null, minutes: 480 }), "en"));
    const lines = text.split("\n");
    for (const line of [
      "Certificate of attendance",
      "Open Cloud Paris #12 certifies that",
      "attended",
      "Dates: May 20\u2009–\u200921, 2027",
      "Duration: 8\u00a0h",
      "Issued on May 21, 2027",
      "Reference AB12-CD34-2",
    ]) {
      expect(lines, line).toContain(line);
    }
    expect(text).not.toContain("SIRET");
  });

  it("dates the edition in its own zone: an evening ending after midnight UTC is still that day there", async () => {
    const late = data({ timeZone: "America/New_York", endsAt: new Date("2027-05-21T03:30:00Z") });
    expect(pdfText(await renderCertificatePdf(late, "en"))).toContain("Issued on May 20, 2027");
  });

  it("prints names in every script the tickets print", async () => {
    const pdf = await renderCertificatePdf(data({ holder: "Юлия Łukasz 李小龍" }), "fr");
    const { characters } = pdfFontFacts(pdf);
    expect([..."Юлия Łukasz 李小龍"].filter((c) => c !== " " && !characters.has(c))).toEqual([]);
    expect(pdfText(pdf)).toContain("Юлия Łukasz");
  });

  it("says a duration as people write it", () => {
    expect(formatDuration(45, "fr")).toBe("45\u00a0min");
    expect(formatDuration(65, "en")).toBe("1\u00a0h\u00a005");
    expect(formatDuration(10080, "fr")).toBe("168\u00a0h");
  });
});
