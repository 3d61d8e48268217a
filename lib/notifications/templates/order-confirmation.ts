import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatDateRange, formatMoney, localized } from "@/lib/i18n/format";
import { formatRate } from "@/lib/i18n/money";
import { receiptVat } from "@/lib/invoices/vat";
import type { Edition, Order, Ticket, TicketType } from "@/lib/generated/prisma/client";
import type { PdfTicket } from "@/lib/tickets/pdf";
import {
  buttonBlock,
  emailLayout,
  escapeHtml,
  footerBlock,
  markdownBlock,
  textBlock,
  ticketBlock,
  type EmailBlock,
} from "@/lib/templates/layout";
import { MARKDOWN_STYLES } from "@/lib/templates/markdown";

export type ConfirmationInput = {
  /** A ticket priced with a code names it (`voucher`): the receipt shows its usual price and the discount. */
  order: Order & {
    edition: Edition;
    tickets: (Ticket & { ticketType: TicketType; voucher?: { code: string } | null })[];
  };
  /** Current signed code of each ticket, by ticket id. */
  codes: Map<string, string>;
  orderUrl: string;
  /** For a ticket received by transfer: who gave it. */
  transferredFrom?: string;
  /** One attendee's own ticket of a group: no receipt (the buyer paid), the link opens this ticket only. */
  attendeeOnly?: boolean;
  /**
   * The edition's wording of the kind (lib/templates/overrides.ts), its placeholders replaced; none for a ticket
   * received by transfer, whose wording is the app's (transfer notices are not editable).
   */
  template?: { subject: string; markdown: string };
};

/** What every template gives: a subject, and the same words as HTML and as plain text. */
export type EmailText = { subject: string; html: string; text: string };

export type RenderedEmail = EmailText & {
  /** QR images referenced by cid: from the HTML, one per ticket. */
  inlineQr: { cid: string; code: string }[];
  pdfTickets: PdfTicket[];
};

/** The confirmation email of an order, in its language: HTML and text parts, QR inline, PDF data. */
export function renderOrderConfirmation({
  order,
  codes,
  orderUrl,
  transferredFrom,
  attendeeOnly = false,
  template,
}: ConfirmationInput): RenderedEmail {
  const locale = order.locale;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "email" });
  const tCode = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "voucherCheckout" });
  const tGroup = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "groupTicket" });
  const { edition } = order;
  const editionName = localized(edition, "name", locale);
  const when = formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale);
  const where = `${edition.venueName}, ${edition.venueAddress}`;
  const mapUrl = `https://www.openstreetmap.org/search?query=${encodeURIComponent(where)}`;
  const tickets = order.tickets.filter((ticket) => ticket.status === "ACTIVE");
  // A lone ticket's holder reads it (after a transfer, not the buyer); a group's email goes to its buyer.
  const firstName = (tickets.length === 1 ? tickets[0].firstName : null) ?? order.buyerFirstName;
  const holderOf = (ticket: Ticket) =>
    ticket.firstName === null
      ? tGroup("unnamedTicket", { position: ticket.position })
      : `${ticket.firstName} ${ticket.lastName}`;
  // An order a code made free still gets its receipt: the usual price and what the code took off.
  const paid = (order.amountCents > 0 || tickets.some((ticket) => ticket.discountCents > 0)) && !attendeeOnly;
  const money = (cents: number) => formatMoney(cents, order.currency, locale);
  const vatLines = receiptVat(
    order.tickets.map((ticket) => ({
      priceCents: ticket.priceCents,
      vatRateBasisPoints: ticket.ticketType.vatRateBasisPoints,
    })),
  ).map((part) => ({
    label: t("vat", { rate: formatRate(part.vatRateBasisPoints, locale) }),
    value: money(part.vatCents),
  }));

  const line = (label: string, value: string) => t("line", { label, value });
  const intro = transferredFrom
    ? t("transferReceivedIntro", { from: transferredFrom, edition: editionName })
    : t("confirmed", { edition: editionName });
  const subject = template?.subject ?? t("transferReceivedSubject", { edition: editionName });
  const inlineQr = tickets.map((ticket) => ({ cid: `qr-${ticket.id}@guichet`, code: codes.get(ticket.id)! }));
  // A ticket priced with a code: the usual price and the code's discount beside the price paid.
  const discountOf = (ticket: (typeof tickets)[number]) =>
    ticket.voucher && ticket.discountCents > 0
      ? [
          tCode("usualPrice", { list: money(ticket.priceCents + ticket.discountCents) }),
          tCode("discountLine", { code: ticket.voucher.code, discount: money(ticket.discountCents) }),
        ].join(" · ")
      : null;
  const receipt = [
    ...tickets.map((ticket) => {
      const discount = discountOf(ticket);
      const priced = line(localized(ticket.ticketType, "name", locale), money(ticket.priceCents));
      return discount ? `${priced} (${discount})` : priced;
    }),
    line(t("total"), money(order.amountCents)),
    ...vatLines.map((vat) => line(vat.label, vat.value)),
  ];

  const blocks: EmailBlock[] = [
    joinBlocks([
      template ? markdownBlock(template.markdown) : textBlock([t("hello", { name: firstName })]),
      textBlock([intro]),
    ]),
    joinBlocks([
      lineBlock([line(t("when"), when), line(t("where"), where)]),
      linkLine(line(t("map"), mapUrl), t("map"), mapUrl),
      lineBlock([line(t("reference"), order.reference)]),
    ]),
    ...tickets.map((ticket, index) => {
      const holder = holderOf(ticket);
      const type = localized(ticket.ticketType, "name", locale);
      const block = ticketBlock({ qrCid: inlineQr[index].cid, alt: `QR ${holder}`, holder, type });
      // The text part keeps one line per ticket, as the receipt reads.
      return { html: block.html, text: `${line(t("attendee"), holder)} · ${line(t("ticketType"), type)}` };
    }),
    textBlock([t("showAtDoor")]),
    ...(paid
      ? [
          joinBlocks([
            { html: `<h2 style="${RECEIPT_HEADING}">${escapeHtml(t("receipt"))}</h2>`, text: t("receipt") },
            lineBlock(receipt),
          ]),
        ]
      : []),
    joinBlocks([textBlock([t("manage")]), buttonBlock(t("manageLink"), orderUrl)]),
  ];
  const { html, text } = emailLayout({
    locale,
    title: subject,
    preheader: intro,
    blocks,
    footer: footerBlock({ reason: t("footer") }),
  });

  return {
    subject,
    html,
    text,
    inlineQr,
    pdfTickets: tickets.map((ticket) => ({
      code: codes.get(ticket.id)!,
      holder: holderOf(ticket),
      company: ticket.company,
      ticketType: localized(ticket.ticketType, "name", locale),
      editionName,
      when,
      where,
      reference: order.reference,
    })),
  };
}

/** Several blocks in one cell of the layout: one paragraph apart, not a cell's padding apart. */
function joinBlocks(blocks: EmailBlock[]): EmailBlock {
  return { html: blocks.map((block) => block.html).join(""), text: blocks.map((block) => block.text).join("\n\n") };
}

const RECEIPT_HEADING = "margin:0 0 8px;font-size:20px;line-height:1.3;font-weight:bold";
// A receipt's lines sit close together, as on paper; long addresses still break on a phone.
const LINE_STYLE = "margin:0 0 4px;font-size:16px;line-height:1.5;overflow-wrap:anywhere;word-break:break-word";

/** "Label : value" lines: one paragraph each in the HTML, one line each in the text part (never wrapped apart). */
function lineBlock(lines: string[]): EmailBlock {
  const html = lines.map((text) => `<p style="${LINE_STYLE}">${escapeHtml(text)}</p>`).join("");
  return { html, text: lines.join("\n") };
}

/** A link in a line of its own; its text part says the address, as "Map: https://…". */
function linkLine(text: string, label: string, href: string): EmailBlock {
  const link = `<a href="${escapeHtml(href)}" style="${MARKDOWN_STYLES.a}">${escapeHtml(label)}</a>`;
  return { html: `<p style="${MARKDOWN_STYLES.p}">${link}</p>`, text };
}
