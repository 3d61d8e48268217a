import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";
import { describe, expect, it } from "vitest";
import {
  businessInvoice,
  cardInvoice,
  creditNote,
  franchiseInvoice,
  publicBuyerInvoice,
  sampleInvoiceDocuments,
} from "@/devtools/testing/invoice-documents";
import { invoiceCii } from "./cii";
import type { InvoiceDocument } from "./document";

// The schema shipped in the repository (lib/invoices/xsd), not a copy inside node_modules.
const XSD_DIR = path.resolve("lib/invoices/xsd");
const ROOT_XSD = "Factur-X_1.07.3_EN16931.xsd";
const schemaFiles = readdirSync(XSD_DIR)
  .filter((name) => name.endsWith(".xsd"))
  .map((fileName) => ({ fileName, contents: readFileSync(path.join(XSD_DIR, fileName), "utf8") }));

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: "factur-x.xml", contents: xml },
    schema: schemaFiles.find((file) => file.fileName === ROOT_XSD)!,
    preload: schemaFiles.filter((file) => file.fileName !== ROOT_XSD),
  });
  return result.errors.map((error) => error.rawMessage);
}

/** The text of every `name` element inside the first `within` element (the whole document if none given). */
function texts(xml: string, name: string, within?: string): string[] {
  const scope = within ? (xml.match(new RegExp(`<${within}>([\\s\\S]*?)</${within}>`))?.[1] ?? "") : xml;
  return [...scope.matchAll(new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`, "g"))].map((match) => match[1]);
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

describe("the CII XML of an invoice", () => {
  it.each(Object.entries(sampleInvoiceDocuments))(
    "validates against the Factur-X EN 16931 XSD: %s",
    async (_, document) => {
      expect(await schemaErrors(invoiceCii(document))).toEqual([]);
    },
  );

  it("is refused by the XSD when an element is out of place, so the check above can fail", async () => {
    const xml = invoiceCii(businessInvoice).replace(
      /(<ram:TypeCode>380<\/ram:TypeCode>)(<ram:IssueDateTime>.*?<\/ram:IssueDateTime>)/,
      "$2$1",
    );
    expect(await schemaErrors(xml)).not.toEqual([]);
  });

  it.each(Object.entries(sampleInvoiceDocuments))("carries the document's totals and lines: %s", (_, document) => {
    const xml = invoiceCii(document);
    const summation = "ram:SpecifiedTradeSettlementHeaderMonetarySummation";
    const total = (name: string) => texts(xml, name, summation).map(cents);
    expect(total("ram:LineTotalAmount")).toEqual([document.totals.excludingVatCents]);
    expect(total("ram:TaxBasisTotalAmount")).toEqual([document.totals.excludingVatCents]);
    expect(total("ram:TaxTotalAmount")).toEqual([document.totals.vatCents]);
    expect(total("ram:GrandTotalAmount")).toEqual([document.totals.includingVatCents]);
    const paid = document.payment.paidAt ? document.totals.includingVatCents : 0;
    expect(total("ram:DuePayableAmount")).toEqual([document.totals.includingVatCents - paid]);

    const settlement = xml.slice(xml.indexOf("<ram:ApplicableHeaderTradeSettlement>"));
    expect(texts(settlement, "ram:BasisAmount").map(cents)).toEqual(
      document.totals.byRate.map((rate) => rate.excludingVatCents),
    );
    expect(texts(settlement, "ram:CalculatedAmount").map(cents)).toEqual(
      document.totals.byRate.map((rate) => rate.vatCents),
    );
    expect(texts(settlement, "ram:RateApplicablePercent").map(Number)).toEqual(
      document.totals.byRate.map((rate) => rate.vatRateBasisPoints / 100),
    );
    expect(texts(xml, "ram:BilledQuantity").map(Number)).toEqual(document.lines.map((line) => line.quantity));
    const lineItems = xml.slice(0, xml.indexOf("<ram:ApplicableHeaderTradeAgreement>"));
    expect(texts(lineItems, "ram:LineTotalAmount").map(cents)).toEqual(
      document.lines.map((line) => line.excludingVatCents),
    );
    // Quantity × net unit price gives each line's amount back to the cent.
    const prices = texts(xml, "ram:ChargeAmount").map(Number);
    document.lines.forEach((line, index) =>
      expect(Math.round(prices[index] * line.quantity * 100)).toBe(line.excludingVatCents),
    );
  });

  it("is an invoice (380) with the parties' identifiers, the order, the transfer and the event dates", () => {
    const xml = invoiceCii(businessInvoice);
    expect(texts(xml, "ram:TypeCode", "rsm:ExchangedDocument")).toEqual(["380"]);
    expect(texts(xml, "ram:ID", "rsm:ExchangedDocument")).toEqual(["GCH-2027-000042"]);
    expect(texts(xml, "ram:ID", "rsm:ExchangedDocumentContext")).toEqual(["urn:cen.eu:en16931:2017"]);
    expect(xml).toContain('<ram:ID schemeID="0002">732829320</ram:ID>');
    expect(xml).toContain('<ram:ID schemeID="0002">552081317</ram:ID>');
    expect(xml).toContain('<ram:ID schemeID="VA">FR44732829320</ram:ID>');
    expect(xml).toContain('<ram:ID schemeID="VA">FR12552081317</ram:ID>');
    expect(texts(xml, "ram:IssuerAssignedID", "ram:BuyerOrderReferencedDocument")).toEqual(["BC-2027-0815"]);
    expect(texts(xml, "ram:IssuerAssignedID", "ram:SellerOrderReferencedDocument")).toEqual(["AB12-CD34"]);
    expect(texts(xml, "ram:TypeCode", "ram:SpecifiedTradeSettlementPaymentMeans")).toEqual(["58"]);
    expect(texts(xml, "ram:IBANID")).toEqual(["FR7630006000011234567890189"]);
    expect(texts(xml, "ram:BICID")).toEqual(["AGRIFRPP"]);
    expect(texts(xml, "ram:PaymentReference")).toEqual(["RF18539007547034"]);
    expect(texts(xml, "udt:DateTimeString", "ram:DueDateDateTime")).toEqual(["20270401"]);
    expect(texts(xml, "udt:DateTimeString", "ram:ActualDeliverySupplyChainEvent")).toEqual(["20270520"]);
    expect(texts(xml, "udt:DateTimeString", "ram:BillingSpecifiedPeriod")).toEqual(["20270520", "20270521"]);
    expect(texts(xml, "ram:CategoryCode", "ram:ApplicableHeaderTradeSettlement")).toEqual(["S", "S"]);
    expect(texts(xml, "ram:SubjectCode")).toEqual(["REG", "PMD", "PMT", "AAB"]);
    expect(xml).toContain("Indemnité forfaitaire pour frais de recouvrement");
    expect(xml).toContain("<ram:Name>Société Générale d’Études &#38; Conseil</ram:Name>");
  });

  it("is a credit note (381) that references its invoice, without the seller's account or late-payment terms", () => {
    const xml = invoiceCii(creditNote);
    expect(texts(xml, "ram:TypeCode", "rsm:ExchangedDocument")).toEqual(["381"]);
    expect(texts(xml, "ram:IssuerAssignedID", "ram:InvoiceReferencedDocument")).toEqual(["GCH-2027-000042"]);
    expect(texts(xml, "qdt:DateTimeString", "ram:InvoiceReferencedDocument")).toEqual(["20270302"]);
    expect(xml).not.toContain("IBANID");
    expect(xml).not.toContain("<ram:PaymentReference>");
    expect(texts(xml, "ram:SubjectCode")).toEqual(["REG"]);
  });

  it("exempts every line of a seller under the VAT franchise with its VATEX code and reason", () => {
    const xml = invoiceCii(franchiseInvoice);
    expect(texts(xml, "ram:CategoryCode")).toEqual(["E", "E"]);
    expect(texts(xml, "ram:ExemptionReasonCode")).toEqual(["VATEX-FR-FRANCHISE"]);
    expect(texts(xml, "ram:ExemptionReason")).toEqual(["TVA non applicable, art. 293 B du CGI"]);
    expect(xml).not.toContain("SpecifiedTaxRegistration");
    expect(texts(xml, "ram:TypeCode", "ram:SpecifiedTradeSettlementPaymentMeans")).toEqual(["48"]);
    // An individual: no penalty, no indemnity.
    expect(texts(xml, "ram:SubjectCode")).toEqual(["REG"]);
  });

  it("exempts a 0 % line of a VAT-registered seller with the reason the settings give", () => {
    const zeroRated: InvoiceDocument = {
      ...businessInvoice,
      lines: [{ ...businessInvoice.lines[0], vatRateBasisPoints: 0, excludingVatCents: 75_000, vatCents: 0 }],
      totals: {
        excludingVatCents: 75_000,
        vatCents: 0,
        includingVatCents: 75_000,
        byRate: [{ vatRateBasisPoints: 0, excludingVatCents: 75_000, vatCents: 0, exemption: "Exonération, art. 261" }],
      },
    };
    const xml = invoiceCii(zeroRated);
    expect(texts(xml, "ram:CategoryCode")).toEqual(["E", "E"]);
    expect(texts(xml, "ram:ExemptionReason")).toEqual(["Exonération, art. 261"]);
    expect(xml).not.toContain("ExemptionReasonCode");
  });

  it("gives a public buyer's Chorus Pro service code as buyer reference and its engagement number as order", () => {
    const xml = invoiceCii(publicBuyerInvoice);
    expect(texts(xml, "ram:BuyerReference")).toEqual(["SCE-DSI-01"]);
    expect(texts(xml, "ram:IssuerAssignedID", "ram:BuyerOrderReferencedDocument")).toEqual(["EJ2027000123"]);
    expect(texts(xml, "ram:ID", "ram:BuyerTradeParty")).toEqual(["13001550600012"]);
    expect(xml).toContain('<ram:ID schemeID="0009">13001550600012</ram:ID>');
  });

  it("says a card payment is paid: code 48, nothing due, a foreign buyer with its VAT number", () => {
    const xml = invoiceCii(cardInvoice);
    expect(texts(xml, "ram:TypeCode", "ram:SpecifiedTradeSettlementPaymentMeans")).toEqual(["48"]);
    expect(texts(xml, "ram:TotalPrepaidAmount").map(cents)).toEqual([19_900]);
    expect(texts(xml, "ram:DuePayableAmount").map(cents)).toEqual([0]);
    expect(texts(xml, "ram:CountryID", "ram:BuyerTradeParty")).toEqual(["DE"]);
    expect(texts(xml, "ram:ID", "ram:BuyerTradeParty")).toEqual(["DE136695976"]);
  });
});
