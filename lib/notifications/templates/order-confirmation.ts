import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatDateRange, formatMoney, localized } from "@/lib/i18n/format";
import { formatRate } from "@/lib/i18n/money";
import { receiptVat } from "@/lib/invoices/vat";
import type { Edition, Order, Ticket, TicketType } from "@/lib/generated/prisma/client";
import type { PdfTicket } from "@/lib/tickets/pdf";
import { escape } from "./escape";

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
  const subject = transferredFrom
    ? t("transferReceivedSubject", { edition: editionName })
    : t("confirmationSubject", { edition: editionName });
  const inlineQr = tickets.map((ticket) => ({ cid: `qr-${ticket.id}@guichet`, code: codes.get(ticket.id)! }));
  const row = (label: string, value: string) =>
    `<tr><td style="padding:4px 12px 4px 0;color:#57606a;vertical-align:top">${escape(label)}</td>` +
    `<td style="padding:4px 0">${value}</td></tr>`;

  const ticketBlocks = tickets.map((ticket, index) => {
    const holder = holderOf(ticket);
    const qr =
      `<img src="cid:${inlineQr[index].cid}" width="220" height="220" alt="QR ${escape(holder)}" ` +
      `style="display:block;margin:0 auto">`;
    return `
      <div style="border:1px solid #d0d7de;border-radius:10px;padding:16px;margin:16px 0;text-align:center">
        <p style="margin:0 0 4px;font-weight:700;font-size:17px">${escape(holder)}</p>
        <p style="margin:0 0 8px;color:#57606a">${escape(localized(ticket.ticketType, "name", locale))}</p>
        ${qr}
        <p style="margin:8px 0 0;color:#57606a;font-size:13px">${escape(t("showAtDoor"))}</p>
      </div>`;
  });

  const head =
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(subject)}</title></head>`;
  const bodyStyle =
    "margin:0;background:#f5f6f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24";
  const whereCell = `${escape(where)}<br><a href="${escape(mapUrl)}" style="color:#0b5cad">${escape(t("map"))}</a>`;
  // A ticket priced with a code: the usual price and the code's discount beneath its name, the price paid beside.
  const discountOf = (ticket: (typeof tickets)[number]) =>
    ticket.voucher && ticket.discountCents > 0
      ? [
          tCode("usualPrice", { list: money(ticket.priceCents + ticket.discountCents) }),
          tCode("discountLine", { code: ticket.voucher.code, discount: money(ticket.discountCents) }),
        ].join(" · ")
      : null;
  const receiptRows = tickets
    .map((ticket) => {
      const name = escape(localized(ticket.ticketType, "name", locale));
      const discount = discountOf(ticket);
      const label = discount ? `${name}<br><span style="font-size:13px">${escape(discount)}</span>` : name;
      return (
        `<tr><td style="padding:4px 12px 4px 0;color:#57606a;vertical-align:top">${label}</td>` +
        `<td style="padding:4px 0;vertical-align:top">${escape(money(ticket.priceCents))}</td></tr>`
      );
    })
    .join("");
  const buttonStyle =
    "display:inline-block;background:#0b5cad;color:#ffffff;text-decoration:none;padding:10px 16px;" +
    "border-radius:8px;font-weight:600";
  const manageButton = `<a href="${escape(orderUrl)}" style="${buttonStyle}">${escape(t("manageLink"))}</a>`;

  const html = `<!doctype html>
<html lang="${locale}">${head}
<body style="${bodyStyle}">
<div style="max-width:560px;margin:0 auto;padding:24px 16px">
  <div style="background:#ffffff;border:1px solid #d0d7de;border-radius:10px;padding:24px">
    <p style="margin:0 0 12px">${escape(t("hello", { name: firstName }))}</p>
    <p style="margin:0 0 16px">${escape(intro)}</p>
    <table role="presentation" style="border-collapse:collapse;font-size:15px">
      ${row(t("when"), escape(when))}
      ${row(t("where"), whereCell)}
      ${row(t("reference"), `<strong style="font-family:monospace">${escape(order.reference)}</strong>`)}
    </table>
    ${ticketBlocks.join("")}
    ${
      paid
        ? `<h2 style="font-size:16px;margin:20px 0 8px">${escape(t("receipt"))}</h2>
    <table role="presentation" style="border-collapse:collapse;font-size:15px">
      ${receiptRows}
      ${row(t("total"), `<strong>${escape(money(order.amountCents))}</strong>`)}
      ${vatLines.map((vat) => row(vat.label, escape(vat.value))).join("")}
    </table>`
        : ""
    }
    <p style="margin:20px 0 8px">${escape(t("manage"))}</p>
    <p style="margin:0">${manageButton}</p>
  </div>
  <p style="color:#57606a;font-size:12px;text-align:center;margin:16px 0 0">${escape(t("footer"))}</p>
</div></body></html>`;

  const text = [
    t("hello", { name: firstName }),
    "",
    intro,
    "",
    line(t("when"), when),
    line(t("where"), where),
    line(t("map"), mapUrl),
    line(t("reference"), order.reference),
    "",
    ...tickets.map(
      (ticket) =>
        `${line(t("attendee"), holderOf(ticket))} · ` +
        line(t("ticketType"), localized(ticket.ticketType, "name", locale)),
    ),
    t("showAtDoor"),
    ...(paid
      ? [
          "",
          t("receipt"),
          ...tickets.map((ticket) => {
            const discount = discountOf(ticket);
            const priced = line(localized(ticket.ticketType, "name", locale), money(ticket.priceCents));
            return discount ? `${priced} (${discount})` : priced;
          }),
          line(t("total"), money(order.amountCents)),
          ...vatLines.map((vat) => line(vat.label, vat.value)),
        ]
      : []),
    "",
    t("manage"),
    orderUrl,
    "",
    t("footer"),
  ].join("\n");

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
