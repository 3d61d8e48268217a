/**
 * An invoice or a credit note as issued: everything printed on its PDF and carried in its Factur-X (EN 16931 CII)
 * XML, frozen when it is issued. A renamed attendee, a new address of the organiser or a changed price never
 * changes a document already issued: a correction is a credit note in the same series.
 */
export type InvoiceDocument = {
  kind: "invoice" | "credit_note";
  /** In the installation's one series: prefix, year and a number with no gap (e.g. "GCH-2027-000042"). */
  number: string;
  issuedAt: Date;
  /** A credit note's invoice. */
  corrects: { number: string; issuedAt: Date } | null;
  locale: "fr" | "en";
  currency: string;
  seller: Seller;
  buyer: Buyer;
  /** The edition the tickets admit to: its dates are the date of the service. */
  event: { name: string; startsAt: Date; endsAt: Date; timeZone: string; venueName: string; venueAddress: string };
  /** The order's reference (the buyer's reference for the sale). */
  orderReference: string;
  /** The buyer's purchase order number, if they gave one. */
  purchaseOrder: string | null;
  /** Chorus Pro fields of a French public buyer. */
  publicBuyer: { serviceCode: string | null; engagementNumber: string | null } | null;
  lines: InvoiceLine[];
  totals: InvoiceTotals;
  payment: InvoicePayment;
};

/**
 * A quote (devis, facture pro forma) for an order awaiting a bank transfer: printed like an invoice, numbered with
 * the order's reference, dated when the order was placed, with the payment awaited (`payment.dueAt`, the account and
 * the reference to quote). It is not an invoice: never stored, never in the series, never carried as Factur-X XML
 * (invoiceCii takes an InvoiceDocument only); it is drawn again from the order as it is whenever it is asked for.
 */
export type QuoteDocument = Omit<InvoiceDocument, "kind" | "corrects"> & { kind: "quote"; corrects: null };

/** Whatever the invoice PDF's layout draws. */
export type PrintedDocument = InvoiceDocument | QuoteDocument;

export type PostalAddress = { lines: string[]; postcode: string; city: string; country: string };

export type Seller = {
  legalName: string;
  address: PostalAddress;
  /** e.g. "Association loi 1901", "SAS". */
  legalForm: string;
  /** Share capital in cents, for companies that have one. */
  shareCapitalCents: number | null;
  siren: string;
  siret: string;
  /** e.g. "RCS Paris 123 456 789"; null for an association. */
  rcs: string | null;
  /** Intra-EU VAT number; null under the VAT franchise. */
  vatNumber: string | null;
  /** "TVA non applicable, art. 293 B du CGI": no VAT on any line. */
  vatFranchise: boolean;
  email: string;
};

export type Buyer = {
  /** The organisation's name, or the person's for an individual. */
  name: string;
  address: PostalAddress | null;
  /** A business (or public body) gets the penalty rate and the €40 indemnity printed; an individual does not. */
  isBusiness: boolean;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  /** Where the invoice is sent: the accounts email, or the buyer's. */
  email: string;
};

/** One line per ticket type and price: quantity × a unit price, VAT included as entered by the organiser. */
export type InvoiceLine = {
  description: string;
  quantity: number;
  unitPriceIncludingVatCents: number;
  /** VAT rate in basis points: 2000 is 20 %, 550 is 5.5 %, 0 for none. */
  vatRateBasisPoints: number;
  /** The line's amounts (see lib/invoices/vat.ts for how they are derived and why they add up). */
  excludingVatCents: number;
  vatCents: number;
  includingVatCents: number;
};

export type InvoiceTotals = {
  excludingVatCents: number;
  vatCents: number;
  /** What the buyer pays (or is refunded, for a credit note): the sum of the lines as entered. */
  includingVatCents: number;
  byRate: { vatRateBasisPoints: number; excludingVatCents: number; vatCents: number; exemption: string | null }[];
};

export type InvoicePayment = {
  means: "card" | "transfer";
  /** Printed payment terms, e.g. "Paiement à réception" / "Payable within 14 days". */
  terms: string;
  dueAt: Date | null;
  paidAt: Date | null;
  /** The organiser's account and the reference to quote, for a transfer. */
  iban: string | null;
  bic: string | null;
  transferReference: string | null;
  /** For a business buyer: the late-payment penalty rate (e.g. "10 %") and the fixed €40 recovery indemnity. */
  latePenaltyRate: string | null;
};
