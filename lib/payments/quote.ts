import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import type { QuoteDocument } from "@/lib/invoices/document";
import { renderInvoicePdf } from "@/lib/invoices/pdf";
import { paymentTermsText, sellerOf } from "@/lib/invoices/seller";
import { looksLikeAccessToken } from "@/lib/orders/codes";
import { orderDocumentDraft, orderForDocument } from "./invoicing";
import { awaitsTransfer } from "./transfer";
import { printedTransferReference, transferReferenceFor } from "./transfer-reference";

/** Which order: by id (the app's own callers), or by one of its links' tokens (the buyer's, or the payer's). */
export type QuoteOrderKey = { id: string } | { accessToken: string } | { payToken: string };

export type OrderQuote =
  | { ok: true; quote: QuoteDocument; pdf: Buffer; fileName: string }
  /**
   * unknown_order: no order behind that key. not_awaiting_transfer: paid, cancelled, its deadline passed, or never a
   * transfer's: its quote asks for nothing any more. organiser_profile_missing: no seller to print (a transfer order
   * cannot be placed without one, so only if the settings were removed since).
   */
  | { ok: false; reason: "unknown_order" | "not_awaiting_transfer" | "organiser_profile_missing" };

/**
 * The quote (devis, facture pro forma) of an order awaiting a bank transfer, drawn from the order as it is `now`:
 * the invoice's lines, VAT and totals (orderDocumentDraft), numbered with the order's reference and dated when it
 * was placed, payable by its deadline (its hold) to the organiser's account with its structured reference. In the
 * order's language. Nothing is stored: the invoice is issued when the transfer arrives.
 */
export async function renderOrderQuote(db: Db, key: QuoteOrderKey, now: Date): Promise<OrderQuote> {
  const token = "accessToken" in key ? key.accessToken : "payToken" in key ? key.payToken : null;
  if (token !== null && !looksLikeAccessToken(token)) return { ok: false, reason: "unknown_order" };
  const order = await db.order.findUnique({ where: key, include: orderForDocument });
  if (!order) return { ok: false, reason: "unknown_order" };
  if (!awaitsTransfer(order, now)) return { ok: false, reason: "not_awaiting_transfer" };
  const answer = await sellerOf(db);
  if (!answer.ok) return answer;
  const { terms } = answer;
  const draft = orderDocumentDraft(order, answer, {
    means: "transfer",
    terms: paymentTermsText(terms, order.locale),
    dueAt: order.holdExpiresAt,
    paidAt: null,
    iban: terms.iban,
    bic: terms.bic,
    transferReference: printedTransferReference(transferReferenceFor(order.reference)),
    latePenaltyRate: null,
  });
  const quote: QuoteDocument = {
    ...draft,
    kind: "quote",
    number: order.reference,
    issuedAt: order.createdAt,
    corrects: null,
  };
  const t = createTranslator({ locale: quote.locale, messages: quote.locale === "fr" ? fr : en });
  return {
    ok: true,
    quote,
    pdf: await renderInvoicePdf(quote),
    fileName: t("transferQuote.fileName", { reference: order.reference }),
  };
}
