import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatMoney } from "@/lib/i18n/format";
import type { InvoiceDocument, PrintedDocument } from "./document";

/** The "invoicePdf" catalogue in the document's language: the PDF's text and the XML's notes say the same. */
export function invoiceWords(locale: InvoiceDocument["locale"]) {
  return createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "invoicePdf" });
}

/** The "transferQuote.pdf" catalogue: what a quote prints beyond an invoice's words. */
export function quoteWords(locale: InvoiceDocument["locale"]) {
  return createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "transferQuote.pdf" });
}

/** A document's title as printed: "Facture", "Avoir", "Devis – facture pro forma". */
export function documentTitle(document: PrintedDocument): string {
  if (document.kind === "quote") return quoteWords(document.locale)("title");
  return invoiceWords(document.locale)(document.kind === "invoice" ? "invoice" : "creditNote");
}

/**
 * The seller's legal identity as one line (form, share capital, RCS, SIRET): printed at the foot of the PDF and
 * carried as the seller's additional legal information (BT-33) and the REG note of the XML.
 */
export function sellerLegalLine(document: PrintedDocument): string {
  const { seller, locale, currency } = document;
  const t = invoiceWords(locale);
  const capital =
    seller.shareCapitalCents === null
      ? null
      : t("shareCapital", { amount: formatMoney(seller.shareCapitalCents, currency, locale) });
  return [
    [seller.legalName, seller.legalForm, capital].filter(Boolean).join(", "),
    seller.rcs,
    t("siret", { value: seller.siret }),
  ]
    .filter(Boolean)
    .join(" · ");
}

/** The penalty rate, the €40 indemnity and the absence of discount: owed by a business buyer on an invoice. */
export function latePaymentTermsApply(document: PrintedDocument): boolean {
  return document.kind === "invoice" && document.buyer.isBusiness;
}
