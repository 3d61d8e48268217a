import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatMoney } from "@/lib/i18n/format";
import type { InvoiceDocument } from "./document";

/** The "invoicePdf" catalogue in the document's language: the PDF's text and the XML's notes say the same. */
export function invoiceWords(locale: InvoiceDocument["locale"]) {
  return createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "invoicePdf" });
}

/**
 * The seller's legal identity as one line (form, share capital, RCS, SIRET): printed at the foot of the PDF and
 * carried as the seller's additional legal information (BT-33) and the REG note of the XML.
 */
export function sellerLegalLine(document: InvoiceDocument): string {
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
export function latePaymentTermsApply(document: InvoiceDocument): boolean {
  return document.kind === "invoice" && document.buyer.isBusiness;
}
