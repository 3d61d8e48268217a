import PDFDocument from "pdfkit";
import { formatMoney } from "@/lib/i18n/format";
import { formatRate } from "@/lib/i18n/money";
import { writeText } from "@/lib/pdf/fonts";
import { invoiceCii } from "./cii";
import type { InvoiceDocument, PostalAddress, PrintedDocument, QuoteDocument } from "./document";
import { printedIban } from "./identifiers";
import { documentTitle, invoiceWords, latePaymentTermsApply, quoteWords, sellerLegalLine } from "./wording";

/** The name Factur-X readers look for; also the name of the XML when downloaded alone. */
export const FACTURX_FILE_NAME = "factur-x.xml";

const MARGIN = 50;
const GREY = "#555555";
// Room kept above the bottom margin for the footer (the seller's legal identity, the page number).
const FOOTER_HEIGHT = 36;

/**
 * The invoice or credit note as a person reads it (A4, in the document's language) and as software reads it: a
 * PDF/A-3b whose embedded factur-x.xml is the EN 16931 CII XML (invoiceCii), declared in the XMP metadata with
 * Factur-X's extension schema at conformance level EN 16931. Every mention French law asks of an invoice is
 * printed: both parties with their identifiers, number, date, date of the service, lines with quantity and unit
 * price excluding VAT, VAT per rate, totals, payment terms and, for a business buyer, the late-payment penalty
 * rate, the €40 recovery indemnity and the absence of discount; the category "prestations de services"; the
 * purchase order number and the Chorus Pro fields. A quote is drawn the same way, without the XML (it is no
 * invoice), its payment block asking for the transfer: by when, to which account, with which reference.
 */
export function renderInvoicePdf(document: PrintedDocument): Promise<Buffer> {
  const title = `${documentTitle(document)} ${document.number}`;
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    // Kept until the end so that every page gets the footer once the number of pages is known.
    bufferPages: true,
    pdfVersion: "1.7",
    subset: "PDF/A-3b",
    lang: document.locale,
    displayTitle: true,
    info: { Title: title, Creator: "Guichet", Producer: "Guichet", CreationDate: document.issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  if (document.kind !== "quote") embedFacturX(doc, document);
  drawHeader(doc, document);
  drawParties(doc, document);
  drawService(doc, document);
  drawLines(doc, document);
  drawTotals(doc, document);
  if (document.kind === "quote") drawQuotePayment(doc, document);
  else drawPayment(doc, document);
  drawFooters(doc, document);
  doc.end();
  return done;
}

function embedFacturX(doc: PDFKit.PDFDocument, document: InvoiceDocument): void {
  // pdfkit writes AFRelationship, its types do not know it yet. "Alternative": the XML says what the pages say,
  // the relationship Factur-X and ZUGFeRD readers expect.
  const options = {
    name: FACTURX_FILE_NAME,
    type: "text/xml",
    relationship: "Alternative",
    description: "Factur-X EN 16931",
    creationDate: document.issuedAt,
    modifiedDate: document.issuedAt,
  };
  doc.file(Buffer.from(invoiceCii(document), "utf8"), options);
  doc.appendXML(FACTURX_XMP);
}

// The Factur-X properties of the XMP metadata, with the PDF/A extension schema that declares them (PDF/A-3
// refuses properties of an undeclared namespace).
const FACTURX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";
const FACTURX_PROPERTIES = {
  DocumentFileName: ["name of the embedded XML invoice file", FACTURX_FILE_NAME],
  DocumentType: ["INVOICE", "INVOICE"],
  Version: ["The actual version of the Factur-X XML schema", "1.0"],
  ConformanceLevel: ["The conformance level of the embedded Factur-X data", "EN 16931"],
} as const;
const FACTURX_XMP = `<rdf:Description xmlns:fx="${FACTURX_NS}" rdf:about="">
${Object.entries(FACTURX_PROPERTIES)
  .map(([name, [, value]]) => `<fx:${name}>${value}</fx:${name}>`)
  .join("\n")}
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>${FACTURX_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
${Object.entries(FACTURX_PROPERTIES)
  .map(
    ([name, [description]]) => `<rdf:li rdf:parseType="Resource">
<pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>${description}</pdfaProperty:description>
</rdf:li>`,
  )
  .join("\n")}
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>`;

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - 2 * MARGIN;
}

function day(date: Date, document: PrintedDocument): string {
  return new Intl.DateTimeFormat(document.locale, { dateStyle: "long", timeZone: document.event.timeZone }).format(
    date,
  );
}

function money(cents: number, document: PrintedDocument): string {
  return formatMoney(cents, document.currency, document.locale);
}

function addressLines(address: PostalAddress, document: PrintedDocument): string[] {
  const country =
    address.country === document.seller.address.country
      ? []
      : [new Intl.DisplayNames(document.locale, { type: "region" }).of(address.country) ?? address.country];
  return [...address.lines, `${address.postcode} ${address.city}`, ...country];
}

/** Lines of text one under the other from (x, y); returns the y under the last. */
function column(
  doc: PDFKit.PDFDocument,
  lines: { text: string; bold?: boolean; size?: number; color?: string }[],
  x: number,
  y: number,
  width: number,
): number {
  doc.y = y;
  for (const line of lines) {
    doc.fontSize(line.size ?? 9).fillColor(line.color ?? "#000000");
    writeText(doc, line.text, { bold: line.bold, width, x, y: doc.y });
  }
  return doc.y;
}

function drawHeader(doc: PDFKit.PDFDocument, document: PrintedDocument): void {
  const t = invoiceWords(document.locale);
  const { seller } = document;
  const left = column(
    doc,
    [
      { text: seller.legalName, bold: true, size: 13 },
      ...addressLines(seller.address, document).map((text) => ({ text })),
      { text: t("siren", { value: seller.siren }) },
      ...(seller.vatNumber ? [{ text: t("vatNumber", { value: seller.vatNumber }) }] : []),
      { text: seller.email },
    ],
    MARGIN,
    MARGIN,
    250,
  );
  // A quote's longer title ("Devis – facture pro forma") kept on one line: smaller, in a wider column.
  const quote = document.kind === "quote";
  const rightWidth = quote ? 240 : 210;
  const right = column(
    doc,
    [
      { text: documentTitle(document), bold: true, size: quote ? 14 : 20 },
      { text: t("number", { number: document.number }), bold: true, size: 11 },
      { text: t("issuedOn", { date: day(document.issuedAt, document) }), size: 10 },
      ...(document.corrects
        ? [
            {
              text: t("corrects", {
                number: document.corrects.number,
                date: day(document.corrects.issuedAt, document),
              }),
            },
          ]
        : []),
    ],
    MARGIN + contentWidth(doc) - rightWidth,
    MARGIN,
    rightWidth,
  );
  doc.y = Math.max(left, right) + 20;
}

function drawParties(doc: PDFKit.PDFDocument, document: PrintedDocument): void {
  const t = invoiceWords(document.locale);
  const { buyer } = document;
  const top = doc.y;
  const left = column(
    doc,
    [
      { text: document.kind === "quote" ? quoteWords(document.locale)("buyer") : t("buyer"), bold: true, color: GREY },
      { text: buyer.name, bold: true, size: 11 },
      ...(buyer.address ? addressLines(buyer.address, document) : []).map((text) => ({ text })),
      ...(buyer.siren ? [{ text: t("siren", { value: buyer.siren }) }] : []),
      ...(buyer.siret ? [{ text: t("siret", { value: buyer.siret }) }] : []),
      ...(buyer.vatNumber ? [{ text: t("vatNumber", { value: buyer.vatNumber }) }] : []),
      // An individual is named, nothing more: their address is not needed to pay a quote.
      ...(buyer.isBusiness ? [{ text: buyer.email }] : []),
    ],
    MARGIN,
    top,
    250,
  );
  const references = [
    t("orderReference", { value: document.orderReference }),
    document.purchaseOrder ? t("purchaseOrder", { value: document.purchaseOrder }) : null,
    document.publicBuyer?.serviceCode ? t("serviceCode", { value: document.publicBuyer.serviceCode }) : null,
    document.publicBuyer?.engagementNumber
      ? t("engagementNumber", { value: document.publicBuyer.engagementNumber })
      : null,
  ].filter((text): text is string => text !== null);
  const right = column(
    doc,
    references.map((text) => ({ text })),
    MARGIN + contentWidth(doc) - 210,
    top + 12,
    210,
  );
  doc.y = Math.max(left, right) + 18;
}

function drawService(doc: PDFKit.PDFDocument, document: PrintedDocument): void {
  const t = invoiceWords(document.locale);
  const { event } = document;
  const dates = new Intl.DateTimeFormat(document.locale, {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: event.timeZone,
  }).formatRange(event.startsAt, event.endsAt);
  doc.y = column(
    doc,
    [
      { text: t("category"), bold: true },
      { text: t("event", { name: event.name }) },
      { text: t("serviceDate", { dates }) },
      { text: t("venue", { venue: `${event.venueName}, ${event.venueAddress}` }) },
    ],
    MARGIN,
    doc.y,
    contentWidth(doc),
  );
  doc.y += 14;
}

// Description, quantity, unit price excl. VAT, VAT rate, line excl. VAT, line incl. VAT (widths sum to 495).
const COLUMNS = [
  { width: 190, align: "left" },
  { width: 35, align: "right" },
  { width: 75, align: "right" },
  { width: 45, align: "right" },
  { width: 75, align: "right" },
  { width: 75, align: "right" },
] as const;

/** Starts a new page unless `height` fits above the footer; says whether it did. */
function ensureRoom(doc: PDFKit.PDFDocument, height: number): boolean {
  if (doc.y + height <= doc.page.height - MARGIN - FOOTER_HEIGHT) return false;
  doc.addPage();
  doc.y = MARGIN;
  return true;
}

function row(doc: PDFKit.PDFDocument, cells: string[], { bold = false } = {}): void {
  const top = doc.y;
  let x = MARGIN;
  let bottom = top;
  cells.forEach((cell, index) => {
    const { width, align } = COLUMNS[index];
    doc.fontSize(9).fillColor("#000000");
    writeText(doc, cell, { x, y: top, width: width - 6, align, bold });
    bottom = Math.max(bottom, doc.y);
    x += width;
  });
  doc.y = bottom + 4;
}

function rule(doc: PDFKit.PDFDocument): void {
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + contentWidth(doc), doc.y)
    .lineWidth(0.5)
    .strokeColor("#999999")
    .stroke();
  doc.y += 5;
}

function drawLines(doc: PDFKit.PDFDocument, document: PrintedDocument): void {
  const t = invoiceWords(document.locale);
  const unit = new Intl.NumberFormat(document.locale, {
    style: "currency",
    currency: document.currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 4,
  });
  const header = () => {
    row(
      doc,
      [t("description"), t("quantity"), t("unitPrice"), t("vatRate"), t("lineExcludingVat"), t("lineIncludingVat")],
      { bold: true },
    );
    rule(doc);
  };
  ensureRoom(doc, 60);
  header();
  for (const line of document.lines) {
    if (ensureRoom(doc, 28)) header();
    row(doc, [
      line.description,
      String(line.quantity),
      // Four decimals at most: the unit price excluding VAT of a price entered VAT included is rarely whole cents.
      unit.format(line.excludingVatCents / line.quantity / 100),
      formatRate(line.vatRateBasisPoints, document.locale),
      money(line.excludingVatCents, document),
      money(line.includingVatCents, document),
    ]);
  }
  rule(doc);
  doc.y += 4;
}

function drawTotals(doc: PDFKit.PDFDocument, document: PrintedDocument): void {
  const t = invoiceWords(document.locale);
  const { totals } = document;
  // Under the franchise there is no VAT to break down: the mention under the totals says why.
  const byRate = (document.seller.vatFranchise ? [] : totals.byRate).map((rate) => {
    const base = money(rate.excludingVatCents, document);
    const label = rate.exemption
      ? t("exemptOnBase", { reason: rate.exemption, base })
      : t("vatOnBase", { rate: formatRate(rate.vatRateBasisPoints, document.locale), base });
    return { label, value: money(rate.vatCents, document) };
  });
  const rows = [
    { label: t("totalExcludingVat"), value: money(totals.excludingVatCents, document) },
    ...byRate,
    { label: t("totalVat"), value: money(totals.vatCents, document) },
    { label: t("totalIncludingVat"), value: money(totals.includingVatCents, document), bold: true },
  ];
  const x = MARGIN + contentWidth(doc) - 300;
  ensureRoom(doc, rows.length * 16 + 30);
  for (const { label, value, bold } of rows as { label: string; value: string; bold?: boolean }[]) {
    const top = doc.y;
    doc.fontSize(bold ? 11 : 9).fillColor("#000000");
    writeText(doc, label, { x, y: top, width: 215, bold });
    const below = doc.y;
    writeText(doc, value, { x: x + 215, y: top, width: 85, align: "right", bold });
    doc.y = Math.max(below, doc.y) + 2;
  }
  if (document.seller.vatFranchise) {
    doc.y += 4;
    doc.fontSize(9);
    writeText(doc, t("franchise"), { x: MARGIN, y: doc.y, width: contentWidth(doc), bold: true });
  }
  doc.y += 16;
}

function drawPayment(doc: PDFKit.PDFDocument, document: InvoiceDocument): void {
  const t = invoiceWords(document.locale);
  const { payment } = document;
  // A credit note is paid to the buyer: the seller's account and the late-payment terms are an invoice's.
  const payByTransfer = document.kind === "invoice" && payment.means === "transfer";
  const lines = [
    t("paymentTerms", { terms: payment.terms }),
    payment.dueAt ? t("dueDate", { date: day(payment.dueAt, document) }) : null,
    payment.paidAt
      ? t(payment.means === "card" ? "paidByCard" : "paidByTransfer", { date: day(payment.paidAt, document) })
      : null,
    payByTransfer && payment.iban ? t("transfer", { iban: payment.iban, bic: payment.bic ?? "" }) : null,
    payByTransfer && payment.transferReference
      ? t("transferReference", { reference: payment.transferReference })
      : null,
  ];
  const business = latePaymentTermsApply(document)
    ? [
        payment.latePenaltyRate ? t("latePenalty", { rate: payment.latePenaltyRate }) : null,
        t("recoveryIndemnity"),
        t("noDiscount"),
      ]
    : [];
  const shown = (texts: (string | null)[]) =>
    texts.filter((text): text is string => text !== null).map((text) => ({ text }));
  ensureRoom(doc, 12 * (lines.length + business.length) + 20);
  doc.y = column(doc, shown(lines), MARGIN, doc.y, contentWidth(doc));
  if (business.length > 0) {
    doc.y = column(
      doc,
      shown(business).map((line) => ({ ...line, size: 8, color: GREY })),
      MARGIN,
      doc.y + 8,
      contentWidth(doc),
    );
  }
}

/**
 * A quote's payment block: the transfer awaited by its deadline, the seller's account, the structured reference in a
 * box (what the buyer's bank must carry for the payment to find its order), and that the invoice follows payment.
 */
function drawQuotePayment(doc: PDFKit.PDFDocument, document: QuoteDocument): void {
  const q = quoteWords(document.locale);
  const { payment } = document;
  const width = contentWidth(doc);
  ensureRoom(doc, 130);
  doc.y = column(
    doc,
    [
      { text: q("payableBy", { date: day(payment.dueAt ?? document.issuedAt, document) }), bold: true, size: 11 },
      { text: q("iban", { iban: printedIban(payment.iban ?? "") }) },
      { text: q("bic", { bic: payment.bic ?? "" }) },
    ],
    MARGIN,
    doc.y,
    width,
  );
  const boxTop = doc.y + 8;
  const boxHeight = 40;
  doc.rect(MARGIN, boxTop, 300, boxHeight).lineWidth(1).strokeColor("#000000").stroke();
  column(
    doc,
    [
      { text: q("reference"), size: 8, color: GREY },
      { text: payment.transferReference ?? "", bold: true, size: 14 },
    ],
    MARGIN + 10,
    boxTop + 6,
    280,
  );
  doc.y = column(
    doc,
    [{ text: q("quoteReference") }, { text: q("invoiceOnPayment"), color: GREY }],
    MARGIN,
    boxTop + boxHeight + 8,
    width,
  );
}

function drawFooters(doc: PDFKit.PDFDocument, document: PrintedDocument): void {
  const t = invoiceWords(document.locale);
  const legal = [
    sellerLegalLine(document),
    document.seller.vatNumber && t("vatNumber", { value: document.seller.vatNumber }),
  ]
    .filter(Boolean)
    .join(" · ");
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    // Written inside the bottom margin on purpose: pdfkit would otherwise start a new page for it.
    const margins = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(7.5).fillColor(GREY);
    const lines = count > 1 ? [legal, t("page", { number: document.number, page: index + 1, pages: count })] : [legal];
    writeText(doc, lines.join("\n"), {
      x: MARGIN,
      y: doc.page.height - MARGIN - FOOTER_HEIGHT + 8,
      width: contentWidth(doc),
      align: "center",
    });
    doc.page.margins.bottom = margins;
  }
}
