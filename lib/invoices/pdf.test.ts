import { describe, expect, it } from "vitest";
import {
  businessInvoice,
  cardInvoice,
  creditNote,
  franchiseInvoice,
  publicBuyerInvoice,
  sampleInvoiceDocuments,
} from "@/devtools/testing/invoice-documents";
import { pdfEmbeddedFiles, pdfFontFacts, pdfText } from "@/devtools/testing/pdf-text";
import { formatMoney } from "@/lib/i18n/format";
import { invoiceCii } from "./cii";
import type { InvoiceDocument } from "./document";
import { renderInvoicePdf } from "./pdf";

/** The PDF's text as one line, its no-break spaces and wrapped lines as plain spaces, as a person reads it. */
async function pageText(document: InvoiceDocument): Promise<string> {
  return pdfText(await renderInvoicePdf(document)).replace(/[\s\u00a0\u202f]+/g, " ");
}

const money = (cents: number, document: InvoiceDocument) =>
  formatMoney(cents, document.currency, document.locale).replace(/[\u00a0\u202f]/g, " ");

const TOTAL_LABELS = {
  fr: { excludingVat: "Total HT", vat: "Total TVA", includingVat: "Total TTC" },
  en: { excludingVat: "Total excl. VAT", vat: "Total VAT", includingVat: "Total incl. VAT" },
};

// The XMP packet: pdfkit writes it uncompressed, as PDF/A requires.
function xmp(pdf: Buffer): string {
  const text = pdf.toString("utf8");
  return text.slice(text.indexOf("<?xpacket begin"), text.indexOf("<?xpacket end"));
}

describe("the invoice PDF", () => {
  it.each(Object.entries(sampleInvoiceDocuments))(
    "prints the totals the embedded XML carries, per rate and overall: %s",
    async (_, document) => {
      const pdf = await renderInvoicePdf(document);
      const text = pdfText(pdf).replace(/[\u00a0\u202f]/g, " ");
      const [facturX] = pdfEmbeddedFiles(pdf);
      const xml = facturX.contents.toString("utf8");
      expect(xml).toBe(invoiceCii(document));
      const amount = (name: string) => Math.round(Number(xml.match(new RegExp(`<${name}[^>]*>([^<]*)<`))![1]) * 100);
      expect(amount("ram:GrandTotalAmount")).toBe(document.totals.includingVatCents);
      expect(amount("ram:TaxBasisTotalAmount")).toBe(document.totals.excludingVatCents);
      expect(amount("ram:TaxTotalAmount")).toBe(document.totals.vatCents);
      const lines = text.split("\n");
      const labels = TOTAL_LABELS[document.locale];
      expect(lines).toContain(`${labels.excludingVat} ${money(amount("ram:TaxBasisTotalAmount"), document)}`);
      expect(lines).toContain(`${labels.vat} ${money(amount("ram:TaxTotalAmount"), document)}`);
      expect(lines).toContain(`${labels.includingVat} ${money(amount("ram:GrandTotalAmount"), document)}`);
      for (const rate of document.seller.vatFranchise ? [] : document.totals.byRate) {
        const base = money(rate.excludingVatCents, document);
        const vat = money(rate.vatCents, document);
        expect(lines.filter((line) => line.includes(base) && line.endsWith(` ${vat}`)).length, base).toBe(1);
      }
      for (const line of document.lines) {
        expect(text).toContain(line.description);
        expect(text).toContain(money(line.includingVatCents, document));
      }
    },
  );

  it("is a PDF/A-3b with factur-x.xml attached as its alternative, declared in the XMP at level EN 16931", async () => {
    const pdf = await renderInvoicePdf(businessInvoice);
    expect(pdf.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    const files = pdfEmbeddedFiles(pdf);
    expect(files.map(({ name, relationship, subtype }) => ({ name, relationship, subtype }))).toEqual([
      { name: "factur-x.xml", relationship: "Alternative", subtype: "text#2Fxml" },
    ]);
    const raw = pdf.toString("latin1");
    expect(raw).toMatch(/\/AF \[\d+ 0 R\]/);
    expect(raw).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    const metadata = xmp(pdf);
    expect(metadata).toContain("<pdfaid:part>3</pdfaid:part>");
    expect(metadata).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
    expect(metadata).toContain("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>");
    expect(metadata).toContain("<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>");
    expect(metadata).toContain("<fx:DocumentType>INVOICE</fx:DocumentType>");
    expect(metadata).toContain("<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#");
    // PDF/A embeds every font it draws with: the DejaVu files, never a standard font.
    const fonts = pdfFontFacts(pdf);
    expect(fonts.embeddedFiles).toBeGreaterThan(0);
    expect(fonts.baseFonts.filter((name) => !/^[A-Z]{6}\+DejaVuSans/.test(name))).toEqual([]);
  });

  it("prints in French every mention a business invoice needs", async () => {
    const text = await pageText(businessInvoice);
    for (const mention of [
      "Facture",
      "N° GCH-2027-000042",
      "Date : 2 mars 2027",
      "SIREN : 732829320",
      "N° TVA intracommunautaire : FR44732829320",
      "Société Générale d’Études & Conseil",
      "SIREN : 552081317",
      "N° TVA intracommunautaire : FR12552081317",
      "Bon de commande : BC-2027-0815",
      "Commande : AB12-CD34",
      "Nature des opérations : prestations de services",
      "Date de la prestation : 20–21 mai 2027",
      "Désignation Qté PU HT TVA Total HT Total TTC",
      "Pass conférence — Standard 3 208,3333 € 20 % 625,00 € 750,00 €",
      "TVA 20 % sur 625,00 € 125,00 €",
      "TVA 10 % sur 160,00 € 16,00 €",
      "Conditions de paiement : Paiement à 30 jours",
      "Date d’échéance : 1 avril 2027",
      "Virement : IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP",
      "Référence à rappeler : RF18539007547034",
      "Pénalités de retard : 10 % par an",
      "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €",
      "Pas d’escompte pour paiement anticipé.",
      "SAS, au capital de 10 000,00 €",
      "RCS Paris 732 829 320",
      "SIRET : 73282932000074",
    ]) {
      expect(text).toContain(mention);
    }
  });

  it("prints a credit note in English with its invoice, no account to pay into, no late terms", async () => {
    const text = await pageText(creditNote);
    expect(text).toContain("Credit note");
    expect(text).toContain("Credit note for invoice GCH-2027-000042 of March 2, 2027");
    expect(text).toContain("Total incl. VAT €250.00");
    expect(text).not.toContain("IBAN");
    expect(text).not.toContain("€40");
  });

  it("prints the VAT franchise and leaves an individual without the business terms", async () => {
    const text = await pageText(franchiseInvoice);
    expect(text).toContain("TVA non applicable, art. 293 B du CGI");
    expect(text).toContain("Payée par carte le 2 mars 2027.");
    expect(text).not.toContain("40 €");
    expect(text).not.toContain("Pénalités");
    expect(text).not.toContain("N° TVA");
  });

  it("prints a public buyer's Chorus Pro service code and engagement number", async () => {
    const text = await pageText(publicBuyerInvoice);
    expect(text).toContain("Service code: SCE-DSI-01");
    expect(text).toContain("Commitment number: EJ2027000123");
    expect(text).toContain("Fixed indemnity for recovery costs in case of late payment: €40");
  });

  it("names a foreign buyer's country", async () => {
    const text = await pageText(cardInvoice);
    expect(text).toContain("10117 Berlin Germany");
    expect(text).toContain("Paid by card on March 2, 2027.");
  });

  it("continues a long order on further pages, the table's header and the footer on each", async () => {
    const lines = Array.from({ length: 45 }, (_, index) => ({
      ...businessInvoice.lines[0],
      description: `Pass conférence — tarif ${index + 1}`,
    }));
    const long: InvoiceDocument = { ...businessInvoice, lines };
    const pdf = await renderInvoicePdf(long);
    const pages = pdf.toString("latin1").match(/\/Type \/Page\b/g)?.length;
    expect(pages).toBe(2);
    const text = pdfText(pdf).replace(/[\u00a0\u202f]/g, " ");
    for (const line of lines) expect(text).toContain(`${line.description} 3 `);
    expect(text.match(/Désignation Qté PU HT TVA Total HT Total TTC/g)).toHaveLength(2);
    expect(text).toContain("GCH-2027-000042, page 1 sur 2");
    expect(text).toContain("GCH-2027-000042, page 2 sur 2");
    expect(text.match(/RCS Paris 732 829 320/g)).toHaveLength(2);
  });
});
