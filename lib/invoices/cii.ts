import type { InvoiceDocument, PostalAddress } from "./document";
import { invoiceWords, latePaymentTermsApply, sellerLegalLine } from "./wording";

/**
 * The EN 16931 CII XML (UN/CEFACT CrossIndustryInvoice D16B, Factur-X 1.0.7 profile EN 16931) of an issued
 * invoice or credit note: the file embedded in its PDF as factur-x.xml, and downloadable alone.
 *
 * Written as a template over InvoiceDocument rather than through a library: the document already holds every
 * amount, so all that is left is placing each in its element, in the order the XSD wants (lib/invoices/README.md
 * says why no library). Where EN 16931 puts what a French buyer asks for:
 * - the Chorus Pro service code is the buyer reference (BT-10); the engagement number is the purchase order
 *   reference (BT-13, BuyerOrderReferencedDocument), where Chorus Pro reads it; without one, BT-13 carries the
 *   buyer's purchase order number (the PDF prints both when both were given);
 * - the order's reference is the seller's order reference (BT-14);
 * - the SIREN is the legal registration identifier with scheme 0002 (a public buyer's SIRET, scheme 0009, since
 *   Chorus Pro routes by SIRET); VAT numbers are VAT registrations (scheme VA);
 * - the event's dates are the actual delivery date (BT-72, its first day) and the invoicing period (BT-73/74);
 * - a credit note (381) points at its invoice with InvoiceReferencedDocument (BG-3);
 * - the €40 indemnity, the penalty rate, the absence of discount and the seller's legal identity are notes with
 *   the subject codes French invoices use (PMT, PMD, AAB, REG).
 */
export function invoiceCii(document: InvoiceDocument): string {
  const { seller, buyer, totals, payment, currency } = document;
  const t = invoiceWords(document.locale);
  const zone = document.event.timeZone;
  const lateTerms = latePaymentTermsApply(document);
  const notes = [
    note(sellerLegalLine(document), "REG"),
    lateTerms && payment.latePenaltyRate ? note(t("latePenalty", { rate: payment.latePenaltyRate }), "PMD") : "",
    lateTerms ? note(t("recoveryIndemnity"), "PMT") : "",
    lateTerms ? note(t("noDiscount"), "AAB") : "",
  ].join("");

  const lines = document.lines
    .map((line, index) => {
      const category = vatCategory(document, line.vatRateBasisPoints);
      return [
        "<ram:IncludedSupplyChainTradeLineItem>",
        wrap("ram:AssociatedDocumentLineDocument", element("ram:LineID", String(index + 1))),
        `<ram:SpecifiedTradeProduct>${element("ram:Name", line.description)}</ram:SpecifiedTradeProduct>`,
        "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>",
        element("ram:ChargeAmount", unitPrice(line.excludingVatCents, line.quantity)),
        "</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>",
        `<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">${line.quantity}</ram:BilledQuantity>`,
        "</ram:SpecifiedLineTradeDelivery>",
        "<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax>",
        element("ram:TypeCode", "VAT"),
        element("ram:CategoryCode", category),
        element("ram:RateApplicablePercent", percent(line.vatRateBasisPoints)),
        "</ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation>",
        element("ram:LineTotalAmount", money(line.excludingVatCents)),
        "</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>",
        "</ram:IncludedSupplyChainTradeLineItem>",
      ].join("");
    })
    .join("");

  const purchaseOrder = document.publicBuyer?.engagementNumber ?? document.purchaseOrder;
  const agreement = [
    "<ram:ApplicableHeaderTradeAgreement>",
    document.publicBuyer?.serviceCode ? element("ram:BuyerReference", document.publicBuyer.serviceCode) : "",
    "<ram:SellerTradeParty>",
    element("ram:Name", seller.legalName),
    element("ram:Description", sellerLegalLine(document)),
    `<ram:SpecifiedLegalOrganization>${element("ram:ID", seller.siren, { schemeID: "0002" })}`,
    "</ram:SpecifiedLegalOrganization>",
    address(seller.address),
    email(seller.email),
    seller.vatNumber ? vatRegistration(seller.vatNumber) : "",
    "</ram:SellerTradeParty>",
    "<ram:BuyerTradeParty>",
    element("ram:Name", buyer.name),
    buyerLegalOrganization(document),
    buyer.address ? address(buyer.address) : "",
    email(buyer.email),
    buyer.vatNumber ? vatRegistration(buyer.vatNumber) : "",
    "</ram:BuyerTradeParty>",
    `<ram:SellerOrderReferencedDocument>${element("ram:IssuerAssignedID", document.orderReference)}`,
    "</ram:SellerOrderReferencedDocument>",
    purchaseOrder ? wrap("ram:BuyerOrderReferencedDocument", element("ram:IssuerAssignedID", purchaseOrder)) : "",
    "</ram:ApplicableHeaderTradeAgreement>",
  ].join("");

  const delivery = [
    "<ram:ApplicableHeaderTradeDelivery><ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>",
    dateString("udt", document.event.startsAt, zone),
    "</ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent></ram:ApplicableHeaderTradeDelivery>",
  ].join("");

  const taxes = totals.byRate
    .map((rate) => {
      const category = vatCategory(document, rate.vatRateBasisPoints);
      const exemption = category === "E" ? exemptionOf(document, rate.exemption) : null;
      return [
        "<ram:ApplicableTradeTax>",
        element("ram:CalculatedAmount", money(rate.vatCents)),
        element("ram:TypeCode", "VAT"),
        exemption?.reason ? element("ram:ExemptionReason", exemption.reason) : "",
        element("ram:BasisAmount", money(rate.excludingVatCents)),
        element("ram:CategoryCode", category),
        exemption?.code ? element("ram:ExemptionReasonCode", exemption.code) : "",
        element("ram:RateApplicablePercent", percent(rate.vatRateBasisPoints)),
        "</ram:ApplicableTradeTax>",
      ].join("");
    })
    .join("");

  const paidCents = payment.paidAt ? totals.includingVatCents : 0;
  const settlement = [
    "<ram:ApplicableHeaderTradeSettlement>",
    document.kind === "invoice" && payment.transferReference
      ? element("ram:PaymentReference", payment.transferReference)
      : "",
    element("ram:InvoiceCurrencyCode", currency),
    paymentMeans(document),
    taxes,
    "<ram:BillingSpecifiedPeriod>",
    `<ram:StartDateTime>${dateString("udt", document.event.startsAt, zone)}</ram:StartDateTime>`,
    `<ram:EndDateTime>${dateString("udt", document.event.endsAt, zone)}</ram:EndDateTime>`,
    "</ram:BillingSpecifiedPeriod>",
    "<ram:SpecifiedTradePaymentTerms>",
    element("ram:Description", payment.terms),
    payment.dueAt ? `<ram:DueDateDateTime>${dateString("udt", payment.dueAt, zone)}</ram:DueDateDateTime>` : "",
    "</ram:SpecifiedTradePaymentTerms>",
    "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
    element("ram:LineTotalAmount", money(totals.excludingVatCents)),
    element("ram:TaxBasisTotalAmount", money(totals.excludingVatCents)),
    element("ram:TaxTotalAmount", money(totals.vatCents), { currencyID: currency }),
    element("ram:GrandTotalAmount", money(totals.includingVatCents)),
    element("ram:TotalPrepaidAmount", money(paidCents)),
    element("ram:DuePayableAmount", money(totals.includingVatCents - paidCents)),
    "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
    document.corrects
      ? [
          "<ram:InvoiceReferencedDocument>",
          element("ram:IssuerAssignedID", document.corrects.number),
          wrap("ram:FormattedIssueDateTime", dateString("qdt", document.corrects.issuedAt, zone)),
          "</ram:InvoiceReferencedDocument>",
        ].join("")
      : "",
    "</ram:ApplicableHeaderTradeSettlement>",
  ].join("");

  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    "<rsm:CrossIndustryInvoice",
    ' xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"',
    ' xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"',
    ' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"',
    ' xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">',
    "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>",
    element("ram:ID", EN16931_GUIDELINE),
    "</ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>",
    "<rsm:ExchangedDocument>",
    element("ram:ID", document.number),
    element("ram:TypeCode", document.kind === "invoice" ? "380" : "381"),
    `<ram:IssueDateTime>${dateString("udt", document.issuedAt, zone)}</ram:IssueDateTime>`,
    notes,
    "</rsm:ExchangedDocument>",
    "<rsm:SupplyChainTradeTransaction>",
    lines,
    agreement,
    delivery,
    settlement,
    "</rsm:SupplyChainTradeTransaction>",
    "</rsm:CrossIndustryInvoice>\n",
  ].join("");
}

/** The specification identifier (BT-24) of Factur-X's EN 16931 profile. */
export const EN16931_GUIDELINE = "urn:cen.eu:en16931:2017";

// VATEX code of the French VAT franchise (art. 293 B du CGI).
const FRANCHISE_CODE = "VATEX-FR-FRANCHISE";

/** S for a taxed rate; E (exempt, with its reason) for a 0 % line or a seller under the VAT franchise. */
function vatCategory(document: InvoiceDocument, rateBasisPoints: number): "S" | "E" {
  return document.seller.vatFranchise || rateBasisPoints === 0 ? "E" : "S";
}

function exemptionOf(document: InvoiceDocument, exemption: string | null): { reason: string; code: string | null } {
  if (document.seller.vatFranchise) {
    return { reason: exemption ?? invoiceWords(document.locale)("franchise"), code: FRANCHISE_CODE };
  }
  return { reason: exemption ?? "", code: null };
}

function paymentMeans(document: InvoiceDocument): string {
  const { payment } = document;
  // A credit note is paid to the buyer: the seller's account is for invoices only.
  if (payment.means === "card" || document.kind === "credit_note") {
    const code = payment.means === "card" ? "48" : "58";
    return wrap("ram:SpecifiedTradeSettlementPaymentMeans", element("ram:TypeCode", code));
  }
  return [
    "<ram:SpecifiedTradeSettlementPaymentMeans>",
    element("ram:TypeCode", "58"),
    payment.iban ? wrap("ram:PayeePartyCreditorFinancialAccount", element("ram:IBANID", compact(payment.iban))) : "",
    payment.bic
      ? wrap("ram:PayeeSpecifiedCreditorFinancialInstitution", element("ram:BICID", compact(payment.bic)))
      : "",
    "</ram:SpecifiedTradeSettlementPaymentMeans>",
  ].join("");
}

function buyerLegalOrganization({ buyer, publicBuyer }: InvoiceDocument): string {
  const id =
    publicBuyer && buyer.siret
      ? element("ram:ID", compact(buyer.siret), { schemeID: "0009" })
      : buyer.siren
        ? element("ram:ID", compact(buyer.siren), { schemeID: "0002" })
        : null;
  return id ? `<ram:SpecifiedLegalOrganization>${id}</ram:SpecifiedLegalOrganization>` : "";
}

function address({ lines, postcode, city, country }: PostalAddress): string {
  return [
    "<ram:PostalTradeAddress>",
    element("ram:PostcodeCode", postcode),
    ...["ram:LineOne", "ram:LineTwo", "ram:LineThree"].map((name, index) =>
      // EN 16931 has three address lines: a longer address keeps its last lines together in the third.
      index < 2 ? optional(name, lines[index]) : optional(name, lines.slice(2).join(", ")),
    ),
    element("ram:CityName", city),
    element("ram:CountryID", country),
    "</ram:PostalTradeAddress>",
  ].join("");
}

function email(address: string): string {
  return wrap("ram:URIUniversalCommunication", element("ram:URIID", address, { schemeID: "EM" }));
}

function vatRegistration(vatNumber: string): string {
  return wrap("ram:SpecifiedTaxRegistration", element("ram:ID", compact(vatNumber), { schemeID: "VA" }));
}

function note(content: string, subjectCode: string): string {
  return wrap("ram:IncludedNote", element("ram:Content", content) + element("ram:SubjectCode", subjectCode));
}

/** A calendar date (format 102, YYYYMMDD) as the day it is in the edition's time zone. */
function dateString(prefix: "udt" | "qdt", at: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(at)
    .replaceAll("-", "");
  return `<${prefix}:DateTimeString format="102">${day}</${prefix}:DateTimeString>`;
}

function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`;
}

// The net unit price (BT-146) of a line whose net amount is exact in cents: up to four decimals, so that
// quantity × price gives the line's amount back to the cent.
function unitPrice(excludingVatCents: number, quantity: number): string {
  const tenThousandths = Math.round((excludingVatCents * 100) / quantity);
  return (tenThousandths / 10_000).toFixed(4).replace(/0{1,2}$/, "");
}

function percent(basisPoints: number): string {
  return String(basisPoints / 100);
}

function compact(identifier: string): string {
  return identifier.replace(/\s+/g, "");
}

function optional(name: string, value: string | undefined): string {
  return value ? element(name, value) : "";
}

function element(name: string, text: string, attributes: Record<string, string> = {}): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join("");
  return `<${name}${attributeText}>${escapeXml(text)}</${name}>`;
}

function wrap(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
