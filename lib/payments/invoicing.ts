import { enqueueInvoiceEmails } from "@/lib/email/outbox";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatMoney, localized } from "@/lib/i18n/format";
import { localeOr } from "@/lib/i18n/locales";
import { issueCreditNote, issueInvoice, type InvoiceDraft } from "@/lib/invoices/issue";
import type { InvoicePayment } from "@/lib/invoices/document";
import { latePenaltyText, lineVat, paymentTermsText, sellerOf, type SellerAnswer } from "@/lib/invoices/seller";
import { invoiceAmounts, type PricedLine } from "@/lib/invoices/vat";
import { transferReferenceFor } from "./transfer-reference";
import { log } from "@/lib/log/logger";

/** How the order was paid: by card when confirmed, or by a transfer the bank booked on `paidAt`. */
export type PaidBy = { means: "card" } | { means: "transfer"; paidAt: Date };

export type OrderInvoicing =
  | { ok: true; number: string }
  /** An individual's order (no billing details) or a free one: its receipt is all it gets. */
  | { ok: false; reason: "not_invoiced" | "already_invoiced" }
  /** Nobody has filled /admin/invoicing: the order is confirmed all the same, and is invoiced once it is. */
  | { ok: false; reason: "organiser_profile_missing" };

/**
 * An organisation's order has just been paid (by card, in `tx`, the confirmation's transaction): its invoice is
 * issued there, numbered in the one series, and emailed to the buyer and the accounts email (orderDocumentDraft,
 * with the payment already made).
 */
export async function invoicePaidOrder(
  tx: Prisma.TransactionClient,
  orderId: string,
  now: Date,
  paid: PaidBy = { means: "card" },
): Promise<OrderInvoicing> {
  // Most paid orders are individuals': one indexed look settles them before anything is read for an invoice.
  if (!(await tx.orderBilling.findUnique({ where: { orderId }, select: { orderId: true } }))) {
    return { ok: false, reason: "not_invoiced" };
  }
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: orderForDocument });
  if (!order.billing || order.amountCents === 0) return { ok: false, reason: "not_invoiced" };
  const answer = await sellerOf(tx);
  if (!answer.ok) {
    log.error(
      { alert: true, orderId, reference: order.reference, reason: answer.reason },
      "organisation's order not invoiced",
    );
    return answer;
  }
  const { terms } = answer;
  const { billing } = order;
  const locale = localeOr(order.locale, "fr");
  const draft = orderDocumentDraft(order, answer, {
    means: paid.means,
    terms: paymentTermsText(terms, locale),
    dueAt: null,
    paidAt: paid.means === "transfer" ? paid.paidAt : now,
    iban: null,
    bic: null,
    transferReference: paid.means === "transfer" ? transferReferenceFor(order.reference) : null,
    latePenaltyRate: latePenaltyText(terms, locale),
  });
  const issued = await issueInvoice(tx, { orderId, prefix: terms.invoicePrefix, draft, now });
  if (!issued.ok) return issued;
  const recipients = [order.buyerEmail, ...(billing.accountsEmail ? [billing.accountsEmail] : [])];
  await enqueueInvoiceEmails(tx, { invoiceId: issued.invoice.id, orderId, locale, to: [...new Set(recipients)] });
  return { ok: true, number: issued.invoice.document.number };
}

/** What an order's invoice or quote is drawn from: its buyer's billing details, its edition and its tickets. */
export const orderForDocument = {
  billing: true,
  edition: true,
  tickets: { include: { ticketType: true, voucher: { select: { code: true } } }, orderBy: { position: "asc" } },
} satisfies Prisma.OrderInclude;

export type OrderForDocument = Prisma.OrderGetPayload<{ include: typeof orderForDocument }>;

/**
 * An order's invoice or quote before it is one (the one home of its lines, VAT per rate and totals): one line per
 * ticket type and price, from the tickets the order holds, VAT per ticket type (lineVat); the buyer is the
 * organisation of its billing details, or an individual by name only; `payment` says what was paid or is awaited.
 */
export function orderDocumentDraft(
  order: OrderForDocument,
  { seller }: Extract<SellerAnswer, { ok: true }>,
  payment: InvoicePayment,
): InvoiceDraft {
  const locale = localeOr(order.locale, "fr");
  const edition = localized(order.edition, "name", locale);
  const tCode = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "voucherCheckout" });
  const money = (cents: number) => formatMoney(cents, order.currency, locale);
  // A line priced with a code says beneath its name the usual price and what the code took off each ticket; its
  // amounts are what was paid (VAT on the price paid).
  const describe = (ticket: OrderForDocument["tickets"][number]) => {
    const name = `${edition} · ${localized(ticket.ticketType, "name", locale)}`;
    if (!ticket.voucher || ticket.discountCents === 0) return name;
    const usual = tCode("usualPrice", { list: money(ticket.priceCents + ticket.discountCents) });
    const discount = tCode("discountLine", { code: ticket.voucher.code, discount: money(ticket.discountCents) });
    return `${name}\n${usual}\n${discount}`;
  };
  const lines = new Map<string, PricedLine>();
  for (const ticket of order.tickets) {
    const key = lineKey(ticket);
    const line = lines.get(key);
    if (line) line.quantity += 1;
    else {
      const vat = lineVat(seller, ticket.ticketType, locale);
      lines.set(key, {
        description: describe(ticket),
        quantity: 1,
        unitPriceIncludingVatCents: ticket.priceCents,
        vatRateBasisPoints: vat.vatRateBasisPoints,
        exemption: vat.exemption,
      });
    }
  }
  const priced = [...lines.values()];
  const franchise = seller.vatFranchise ? { franchise: true as const, mention: priced[0].exemption ?? "" } : null;
  const { billing } = order;
  return {
    locale,
    currency: order.currency,
    seller,
    buyer: billing
      ? {
          name: billing.organisation,
          address: {
            lines: [billing.address, ...(billing.addressMore ? [billing.addressMore] : [])],
            postcode: billing.postcode,
            city: billing.city,
            country: billing.country,
          },
          isBusiness: true,
          siren: billing.siren,
          siret: billing.siret,
          vatNumber: billing.vatNumber,
          email: billing.accountsEmail ?? order.buyerEmail,
        }
      : {
          name: `${order.buyerFirstName} ${order.buyerLastName}`,
          address: null,
          isBusiness: false,
          siren: null,
          siret: null,
          vatNumber: null,
          email: order.buyerEmail,
        },
    event: {
      name: edition,
      startsAt: order.edition.startsAt,
      endsAt: order.edition.endsAt,
      timeZone: order.edition.timeZone,
      venueName: order.edition.venueName,
      venueAddress: order.edition.venueAddress,
    },
    orderReference: order.reference,
    purchaseOrder: billing?.purchaseOrder ?? null,
    publicBuyer:
      billing?.serviceCode || billing?.engagementNumber
        ? { serviceCode: billing.serviceCode, engagementNumber: billing.engagementNumber }
        : null,
    ...invoiceAmounts(priced, franchise ?? { franchise: false }),
    payment,
  };
}

// An invoice has one line per ticket type and price, in the order of the tickets' positions: a ticket's line is
// found again the same way when it is refunded.
// One line per ticket type, price and code (as Stripe Checkout's lines): a code's discount is said on its own line.
const lineKey = (ticket: { ticketTypeId: string; priceCents: number; voucherId: string | null }) =>
  `${ticket.ticketTypeId}:${ticket.priceCents}:${ticket.voucherId ?? ""}`;

/**
 * Money goes back on an invoiced order (`tx`, the refund decision's transaction): a credit note in the same
 * series, for the whole of what the invoice has left or for one ticket's line, emailed like the invoice. An
 * order without an invoice (an individual's, or one refunded before it was paid) gets none.
 */
export async function creditRefund(
  tx: Prisma.TransactionClient,
  orderId: string,
  refunded: "whole" | { ticketId: string },
  now: Date,
): Promise<void> {
  const invoice = await tx.invoice.findFirst({
    where: { orderId, kind: "invoice" },
    select: { id: true, number: true },
  });
  if (!invoice) return;
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      buyerEmail: true,
      locale: true,
      billing: { select: { accountsEmail: true } },
      tickets: {
        select: { id: true, ticketTypeId: true, priceCents: true, voucherId: true },
        orderBy: { position: "asc" },
      },
    },
  });
  const keys = [...new Set(order.tickets.map(lineKey))];
  const ticket = refunded === "whole" ? null : order.tickets.find((candidate) => candidate.id === refunded.ticketId);
  const lines = ticket ? [{ line: keys.indexOf(lineKey(ticket)), quantity: 1 }] : ("whole" as const);
  // The invoice's own prefix: a credit note continues the series its invoice is in.
  const prefix = invoice.number.split("-").slice(0, -2).join("-");
  const issued = await issueCreditNote(tx, { invoiceId: invoice.id, lines, prefix, now });
  if (!issued.ok) {
    // Already credited in full (a refund decided twice is refused before this), or a ticket beyond the invoice.
    log.error({ alert: true, orderId, reason: issued.reason }, "no credit note for a refund");
    return;
  }
  const recipients = [order.buyerEmail, ...(order.billing?.accountsEmail ? [order.billing.accountsEmail] : [])];
  await enqueueInvoiceEmails(tx, {
    invoiceId: issued.creditNote.id,
    orderId,
    locale: localeOr(order.locale, "fr"),
    to: [...new Set(recipients)],
  });
}
