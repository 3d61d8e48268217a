import type { InvoiceDocument, InvoiceLine, Seller } from "@/lib/invoices/document";

// Issued documents for the invoice PDF and XML tests: one of each kind French accounts departments meet. The
// amounts are derived here the simple way (VAT per line, rounded); lib/invoices/vat.ts owns the real rule.

function line(description: string, quantity: number, unitPriceIncludingVatCents: number, rate: number): InvoiceLine {
  const includingVatCents = quantity * unitPriceIncludingVatCents;
  const vatCents = Math.round((includingVatCents * rate) / (10_000 + rate));
  return {
    description,
    quantity,
    unitPriceIncludingVatCents,
    vatRateBasisPoints: rate,
    excludingVatCents: includingVatCents - vatCents,
    vatCents,
    includingVatCents,
  };
}

function totals(lines: InvoiceLine[], exemption: string | null = null): InvoiceDocument["totals"] {
  const sum = (pick: (line: InvoiceLine) => number, of = lines) => of.reduce((total, each) => total + pick(each), 0);
  const rates = [...new Set(lines.map((each) => each.vatRateBasisPoints))].sort((a, b) => b - a);
  return {
    excludingVatCents: sum((each) => each.excludingVatCents),
    vatCents: sum((each) => each.vatCents),
    includingVatCents: sum((each) => each.includingVatCents),
    byRate: rates.map((rate) => {
      const ofRate = lines.filter((each) => each.vatRateBasisPoints === rate);
      return {
        vatRateBasisPoints: rate,
        excludingVatCents: sum((each) => each.excludingVatCents, ofRate),
        vatCents: sum((each) => each.vatCents, ofRate),
        exemption: rate === 0 ? exemption : null,
      };
    }),
  };
}

const SELLER: Seller = {
  legalName: "Open Cloud Events",
  address: { lines: ["12 rue de la Paix", "Bâtiment B"], postcode: "75002", city: "Paris", country: "FR" },
  legalForm: "SAS",
  shareCapitalCents: 1_000_000,
  siren: "732829320",
  siret: "73282932000074",
  rcs: "RCS Paris 732 829 320",
  vatNumber: "FR44732829320",
  vatFranchise: false,
  email: "factures@opencloud.example",
};

const EVENT = {
  name: "Open Cloud Paris #12",
  startsAt: new Date("2027-05-20T07:00:00Z"),
  endsAt: new Date("2027-05-21T16:00:00Z"),
  timeZone: "Europe/Paris",
  venueName: "Station F",
  venueAddress: "5 parvis Alan Turing, 75013 Paris",
};

const businessLines = [
  line("Pass conférence — Standard", 3, 25_000, 2000),
  line("Atelier « Kubernetes »", 2, 8_800, 1000),
];

/** A company buying 3 passes and 2 workshops (20 % and 10 %) by transfer against a purchase order, in French. */
export const businessInvoice: InvoiceDocument = {
  kind: "invoice",
  number: "GCH-2027-000042",
  issuedAt: new Date("2027-03-02T10:15:00Z"),
  corrects: null,
  locale: "fr",
  currency: "EUR",
  seller: SELLER,
  buyer: {
    name: "Société Générale d’Études & Conseil",
    address: { lines: ["3 avenue de l’Opéra"], postcode: "69002", city: "Lyon", country: "FR" },
    isBusiness: true,
    siren: "552081317",
    siret: "55208131700017",
    vatNumber: "FR12552081317",
    email: "comptabilite@sgec.example",
  },
  event: EVENT,
  orderReference: "AB12-CD34",
  purchaseOrder: "BC-2027-0815",
  publicBuyer: null,
  lines: businessLines,
  totals: totals(businessLines),
  payment: {
    means: "transfer",
    terms: "Paiement à 30 jours",
    dueAt: new Date("2027-04-01T10:15:00Z"),
    paidAt: null,
    iban: "FR76 3000 6000 0112 3456 7890 189",
    bic: "AGRIFRPP",
    transferReference: "RF18539007547034",
    latePenaltyRate: "10 %",
  },
};

const refundedLines = [line("Pass conférence — Standard", 1, 25_000, 2000)];

/** One pass of the business invoice refunded, in English. */
export const creditNote: InvoiceDocument = {
  ...businessInvoice,
  kind: "credit_note",
  number: "GCH-2027-000051",
  issuedAt: new Date("2027-03-10T09:00:00Z"),
  corrects: { number: businessInvoice.number, issuedAt: businessInvoice.issuedAt },
  locale: "en",
  lines: refundedLines,
  totals: totals(refundedLines),
  payment: { ...businessInvoice.payment, terms: "Refunded by bank transfer", dueAt: null },
};

const franchiseLines = [line("Pass association", 2, 4_000, 0)];

/** An association under the VAT franchise, paid by card by an individual. */
export const franchiseInvoice: InvoiceDocument = {
  ...businessInvoice,
  number: "ASSO-2027-000003",
  seller: {
    ...SELLER,
    legalName: "Les Amis du Nuage",
    legalForm: "Association loi 1901",
    shareCapitalCents: null,
    rcs: null,
    vatNumber: null,
    vatFranchise: true,
  },
  buyer: {
    name: "Élodie Marchand",
    address: null,
    isBusiness: false,
    siren: null,
    siret: null,
    vatNumber: null,
    email: "elodie@example.org",
  },
  purchaseOrder: null,
  lines: franchiseLines,
  totals: totals(franchiseLines, "TVA non applicable, art. 293 B du CGI"),
  payment: {
    means: "card",
    terms: "Paiement à réception",
    dueAt: null,
    paidAt: new Date("2027-03-02T10:14:00Z"),
    iban: null,
    bic: null,
    transferReference: null,
    latePenaltyRate: null,
  },
};

const publicLines = [line("Pass conférence — Recherche", 4, 12_000, 2000)];

/** A university paying through Chorus Pro: service code and engagement number, in English. */
export const publicBuyerInvoice: InvoiceDocument = {
  ...businessInvoice,
  number: "GCH-2027-000043",
  locale: "en",
  buyer: {
    name: "Université de Lorraine",
    address: { lines: ["34 cours Léopold", "CS 25233"], postcode: "54052", city: "Nancy", country: "FR" },
    isBusiness: true,
    siren: "130015506",
    siret: "13001550600012",
    vatNumber: null,
    email: "factures@univ-lorraine.example",
  },
  purchaseOrder: null,
  publicBuyer: { serviceCode: "SCE-DSI-01", engagementNumber: "EJ2027000123" },
  lines: publicLines,
  totals: totals(publicLines),
  payment: { ...businessInvoice.payment, terms: "Payable within 30 days" },
};

const cardLines = [line("Conference pass — Early bird", 1, 19_900, 2000)];

/** A business abroad paying by card, in English: paid, nothing due. */
export const cardInvoice: InvoiceDocument = {
  ...businessInvoice,
  number: "GCH-2027-000044",
  locale: "en",
  buyer: {
    name: "Nordwind GmbH",
    address: { lines: ["Friedrichstraße 68"], postcode: "10117", city: "Berlin", country: "DE" },
    isBusiness: true,
    siren: null,
    siret: null,
    vatNumber: "DE136695976",
    email: "rechnung@nordwind.example",
  },
  purchaseOrder: null,
  lines: cardLines,
  totals: totals(cardLines),
  payment: {
    means: "card",
    terms: "Paid by card at order",
    dueAt: null,
    paidAt: new Date("2027-03-02T10:14:00Z"),
    iban: null,
    bic: null,
    transferReference: null,
    latePenaltyRate: "10 %",
  },
};

export const sampleInvoiceDocuments = {
  businessInvoice,
  creditNote,
  franchiseInvoice,
  publicBuyerInvoice,
  cardInvoice,
};
