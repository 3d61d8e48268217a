import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatRate } from "@/lib/i18n/money";
import type { Locale } from "@/lib/i18n/locales";
import type { Seller } from "./document";
import { loadOrganiserProfile } from "./organiser-profile";

/** What an invoice needs of the organiser beyond the seller's identity: how and when to be paid, and its series. */
export type InvoicingTerms = {
  /** Days after the invoice's date; 0: payable on receipt. */
  paymentTermDays: number;
  /** A fixed rate in basis points; null: "three times the legal interest rate" (see latePenaltyText). */
  latePenaltyBasisPoints: number | null;
  iban: string;
  bic: string;
  invoicePrefix: string;
};

export type SellerAnswer =
  | { ok: true; seller: Seller; terms: InvoicingTerms }
  /** Nobody has filled /admin/invoicing yet: no invoice, quote or credit note may be issued. */
  | { ok: false; reason: "organiser_profile_missing" };

/**
 * The seller printed on an invoice, from the installation's organiser settings, or why there is none. Under the
 * VAT franchise (`seller.vatFranchise`) every line is printed without VAT, whatever its ticket type's rate:
 * lineVat says so, and the invoice carries the mention "TVA non applicable, art. 293 B du CGI".
 */
export async function sellerOf(db: Pick<Db, "organiserProfile">): Promise<SellerAnswer> {
  const profile = await loadOrganiserProfile(db);
  if (!profile) return { ok: false, reason: "organiser_profile_missing" };
  return {
    ok: true,
    seller: {
      legalName: profile.legalName,
      address: {
        lines: profile.addressLines,
        postcode: profile.postcode,
        city: profile.city,
        country: profile.country,
      },
      legalForm: profile.legalForm,
      shareCapitalCents: profile.shareCapitalCents === null ? null : Number(profile.shareCapitalCents),
      siren: profile.siren,
      siret: profile.siret,
      rcs: profile.rcs,
      vatNumber: profile.vatNumber,
      vatFranchise: profile.vatFranchise,
      email: profile.email,
    },
    terms: {
      paymentTermDays: profile.paymentTermDays,
      latePenaltyBasisPoints: profile.latePenaltyBasisPoints,
      iban: profile.iban,
      bic: profile.bic,
      invoicePrefix: profile.invoicePrefix,
    },
  };
}

const printed = (locale: Locale) =>
  createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "invoicingSettings.printed" });

/**
 * The VAT of a line of a ticket type, as printed: its type's rate and, at 0 %, the legal mention the organiser
 * entered for it; under the seller's VAT franchise, 0 with the franchise's mention whatever the type's rate (the
 * price, VAT included as entered, is then the price without VAT).
 */
export function lineVat(
  seller: Pick<Seller, "vatFranchise">,
  ticketType: { vatRateBasisPoints: number; vatExemption: string | null },
  locale: Locale,
): { vatRateBasisPoints: number; exemption: string | null } {
  if (seller.vatFranchise) return { vatRateBasisPoints: 0, exemption: printed(locale)("vatFranchise") };
  if (ticketType.vatRateBasisPoints === 0) return { vatRateBasisPoints: 0, exemption: ticketType.vatExemption };
  return { vatRateBasisPoints: ticketType.vatRateBasisPoints, exemption: null };
}

/** The payment terms as printed: "payable on receipt" or within the number of days. */
export function paymentTermsText(terms: Pick<InvoicingTerms, "paymentTermDays">, locale: Locale): string {
  const t = printed(locale);
  return terms.paymentTermDays === 0 ? t("onReceipt") : t("withinDays", { days: terms.paymentTermDays });
}

/** The late-payment penalty rate as printed for a business buyer: a fixed rate, or the legal minimum in words. */
export function latePenaltyText(terms: Pick<InvoicingTerms, "latePenaltyBasisPoints">, locale: Locale): string {
  const rate = terms.latePenaltyBasisPoints;
  return rate === null ? printed(locale)("threeTimesLegalRate") : formatRate(rate, locale);
}
