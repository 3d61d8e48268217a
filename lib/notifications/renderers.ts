import type { KeyObject } from "node:crypto";
import type Mail from "nodemailer/lib/mailer";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { formatDateRange, formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { signTicketCode } from "@/lib/tickets/codes";
import { qrPng } from "@/lib/tickets/issue";
import { renderTicketsPdf } from "@/lib/tickets/pdf";
import {
  accessTokenHash,
  type ConfirmationSnapshot,
  type EmailKind,
  type InvoiceEmailPayload,
  type PrivacyRefusalPayload,
  type SpeakerPassPayload,
  type StatusEmailPayload,
  type TicketEmailSnapshot,
  type WaitlistEmailPayload,
} from "@/lib/email/outbox";
import { renderEmailChangedNotice } from "./templates/email-changed";
import { renderLinkEmail } from "./templates/link-email";
import {
  renderErasureRequestEmail,
  renderPrivacyExportEmail,
  renderRequestRefusedEmail,
} from "./templates/privacy-emails";
import { renderOrderConfirmation } from "./templates/order-confirmation";
import { renderStatusEmail } from "./templates/order-status";
import { renderTransferNotice } from "./templates/transfer-notice";
import { renderUnnamedReminder } from "./templates/unnamed-reminder";
import { renderInvoiceEmail } from "./templates/invoice-email";
import { renderSpeakerPass } from "./templates/speaker-pass";
import { renderWaitlistEmail } from "./templates/waitlist";
import { ORGANISER_PROFILE_ID } from "@/lib/invoices/organiser-profile";
import { loadTemplate, renderTemplateText } from "@/lib/templates/overrides";
import type { PlaceholderContext } from "@/lib/templates/placeholders";
import {
  renderTransferExpiredEmail,
  renderTransferQuoteEmail,
  renderTransferReminderEmail,
} from "./templates/transfer-emails";
import type { QuoteDocument } from "@/lib/invoices/document";
import { renderInvoicePdf } from "@/lib/invoices/pdf";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";
import { namingDeadline, REMINDER_QUIET_DAYS } from "@/lib/orders/unnamed-reminders";
import type { TransferQuotePayload } from "@/lib/orders/confirmation-emails";
import { PRIVACY_EXPORT_LINK_HOURS, privacyExportToken } from "@/lib/email/privacy-link";
import {
  absoluteUrl,
  adminPrivacyPath,
  privacyExportPath,
  apiWaitingListLeavePath,
  editionPath,
  editionWithCodePath,
  offerRegisterPath,
  orderPath,
  payPath,
  ticketPath,
  waitingListPath,
} from "@/lib/http/paths";
import { renderMessageEmail } from "@/lib/messages/render";
import { renderOrderQuote } from "@/lib/payments/quote";
import { renderCertificateEmail } from "@/lib/certificates/email";
import type { TransferNoticePayload } from "@/lib/payments/transfer-reminders";

export type OutboxEmail = Prisma.EmailOutboxGetPayload<{
  include: {
    order: {
      include: {
        edition: true;
        tickets: { include: { ticketType: true; voucher: { select: { code: true } } } };
        invoices: true;
      };
    };
  };
}>;

/** What the email says, or why it must not leave (superseded), or that what it is about is gone. */
export type Composed =
  { send: Omit<Mail.Options, "from" | "to" | "messageId"> } | { supersededBecause: string } | "missing";

/**
 * `db`: what an email drawn from more than its order reads (a quote: the organiser's settings); `emailLinkKey`: signs
 * the opt-out links of the organisers' messages (lib/messages/opt-out.ts).
 */
export type RenderDeps = {
  appUrl: string;
  signingKey: KeyObject;
  db: Db;
  emailLinkKey?: string;
  /** The app's clock, for what an email decides by time (a certificate after the end); the wall clock by default. */
  now?: () => Date;
};

type Payload = Partial<
  ConfirmationSnapshot &
    StatusEmailPayload &
    TicketEmailSnapshot &
    InvoiceEmailPayload &
    TransferQuotePayload &
    TransferNoticePayload &
    SpeakerPassPayload &
    WaitlistEmailPayload
> & {
  codeVersion?: number;
  from?: string;
  to?: string;
  toEmail?: string;
  url?: string;
  by?: "organiser" | "attendee";
};

type Renderer = (deps: RenderDeps, email: OutboxEmail, payload: Payload) => Promise<Composed> | Composed;
type Order = NonNullable<OutboxEmail["order"]>;
type OrderRenderer = (
  deps: RenderDeps,
  email: OutboxEmail,
  payload: Payload,
  order: Order,
) => Promise<Composed> | Composed;

// Emails about an order have nothing to say once the order is gone.
const aboutOrder =
  (render: OrderRenderer): Renderer =>
  (deps, email, payload) =>
    email.order ? render(deps, email, payload, email.order) : "missing";

const editionNameOf = (order: Order) => localized(order.edition, "name", order.locale);

const linkEmail =
  (purpose: "prefill" | "signIn"): Renderer =>
  (_deps, email, payload) => ({ send: renderLinkEmail({ locale: email.locale, url: payload.url ?? "", purpose }) });

// Signed when it leaves, from the row's own address: the outbox never holds a working link.
const privacyExportEmail: Renderer = (deps, email) => {
  if (!deps.emailLinkKey) throw new Error("a data export email needs EMAIL_LINK_HMAC_KEY or AUTH_SECRET");
  const token = privacyExportToken(deps.emailLinkKey, email.toAddress.trim().toLowerCase(), deps.now?.() ?? new Date());
  const url = absoluteUrl(deps.appUrl, privacyExportPath(email.locale, token));
  return { send: renderPrivacyExportEmail({ locale: email.locale, url, hours: PRIVACY_EXPORT_LINK_HOURS }) };
};

const statusEmail: Renderer = aboutOrder(async (deps, email, payload, order) => {
  const { reason = "", amountCents, currency, ticket, byTransfer, lastTicket } = payload;
  const kind = email.kind as "order_cancelled" | "order_refunded";
  const { edition, locale } = order;
  // One ticket's notice goes to the buyer; a lone ticket's holder reads the order's.
  const firstName =
    ticket || order.tickets.length > 1 ? order.buyerFirstName : (order.tickets[0]?.firstName ?? order.buyerFirstName);
  const lastName = ticket || order.tickets.length > 1 ? order.buyerLastName : order.tickets[0]?.lastName;
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(deps.db, editionNameOf(order)),
    edition,
    recipient: { firstName, lastName: lastName ?? null },
    order: { url: absoluteUrl(deps.appUrl, orderPath(locale, order.accessToken)), reference: order.reference },
    ...(amountCents !== undefined && currency && { refund: { amountCents, currency } }),
  };
  const text = await loadTemplate(deps.db, edition.id, kind, locale);
  return {
    send: renderStatusEmail({
      locale: email.locale,
      kind,
      reason,
      amountCents,
      currency,
      editionName: editionNameOf(order),
      reference: order.reference,
      ticket: ticket && { ...ticket, lastTicket },
      byTransfer,
      template: renderTemplateText(kind, text, context, locale),
    }),
  };
});

/**
 * The email that carries the tickets themselves: only for a confirmed order and for the
 * credentials it was queued with, with signed codes as inline QR images and a PDF.
 */
const ticketEmail: Renderer = aboutOrder(async (deps, email, payload, order) => {
  if (order.status !== "CONFIRMED") return { supersededBecause: `order no longer confirmed (${order.status})` };
  // A ticket transferred (again) before this email left must not reveal the newer holder's link.
  if (email.kind === "ticket_transfer_received" && order.tickets[0]?.codeVersion !== payload.codeVersion) {
    return { supersededBecause: "superseded by a later transfer" };
  }
  if (email.kind === "order_confirmation" && payload.codeVersions) {
    const { codeVersions, tokenHash } = payload;
    const changed =
      tokenHash !== accessTokenHash(order.accessToken) ||
      order.tickets.some((ticket) => codeVersions[ticket.id] !== ticket.codeVersion);
    if (changed) return { supersededBecause: "superseded by a transfer" };
  }
  const codes = new Map(
    order.tickets.map((ticket) => [
      ticket.id,
      signTicketCode(
        { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
        deps.signingKey,
      ),
    ]),
  );
  const orderUrl = absoluteUrl(deps.appUrl, orderPath(order.locale, order.accessToken));
  const transferredFrom = email.kind === "ticket_transfer_received" ? payload.from : undefined;
  const rendered = renderOrderConfirmation({
    order,
    codes,
    orderUrl,
    transferredFrom,
    // A ticket received by transfer says who gave it, in the app's words: transfer notices are not editable.
    template:
      transferredFrom === undefined ? await ticketTemplate(deps, "order_confirmation", order, orderUrl) : undefined,
  });
  return {
    send: {
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      attachments: [
        ...(await Promise.all(
          rendered.inlineQr.map(async ({ cid, code }) => ({
            filename: "qr.png",
            content: await qrPng(code),
            cid,
            contentType: "image/png",
          })),
        )),
        {
          filename: `ticket-${order.reference}.pdf`,
          content: await renderTicketsPdf(rendered.pdfTickets, order.locale),
          contentType: "application/pdf",
        },
      ],
    },
  };
});

/**
 * One attendee's own ticket of a group: that ticket only, with the link to it, for the holder and the
 * code it was queued for; a rename or transfer since then supersedes it.
 */
const ownTicketEmail: Renderer = aboutOrder(async (deps, email, payload, order) => {
  if (order.status !== "CONFIRMED") return { supersededBecause: `order no longer confirmed (${order.status})` };
  const ticket = order.tickets.find((candidate) => candidate.id === payload.ticketId);
  if (!ticket || ticket.status !== "ACTIVE") return { supersededBecause: "ticket no longer live" };
  if (
    ticket.codeVersion !== payload.codeVersion ||
    !ticket.accessToken ||
    accessTokenHash(ticket.accessToken) !== payload.tokenHash
  ) {
    return { supersededBecause: "superseded by a change of holder" };
  }
  const code = signTicketCode(
    { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
    deps.signingKey,
  );
  const ticketUrl = absoluteUrl(deps.appUrl, ticketPath(order.locale, ticket.accessToken));
  const own = { ...order, tickets: [ticket] };
  const rendered = renderOrderConfirmation({
    order: own,
    codes: new Map([[ticket.id, code]]),
    orderUrl: ticketUrl,
    attendeeOnly: true,
    template: await ticketTemplate(deps, "ticket_issued", own, ticketUrl),
  });
  return {
    send: {
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      attachments: [
        { filename: "qr.png", content: await qrPng(code), cid: rendered.inlineQr[0].cid, contentType: "image/png" },
        {
          filename: `ticket-${order.reference}-${ticket.position}.pdf`,
          content: await renderTicketsPdf(rendered.pdfTickets, order.locale),
          contentType: "application/pdf",
        },
      ],
    },
  };
});

/**
 * The edition's subject and message of an email carrying tickets. `url`: the link the reader already holds (the
 * order's for its buyer, the ticket's for one attendee), for both `ticket_url` and `order_url`; the first live
 * ticket's type stands for `ticket_type`. A lone ticket's holder is greeted, else the buyer.
 */
async function ticketTemplate(
  deps: RenderDeps,
  kind: "order_confirmation" | "ticket_issued",
  order: Order,
  url: string,
) {
  const { edition, locale } = order;
  const live = order.tickets.filter((ticket) => ticket.status === "ACTIVE");
  const holder = live.length === 1 && live[0].firstName !== null ? live[0] : null;
  const first = live[0] ?? order.tickets[0];
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(deps.db, editionNameOf(order)),
    edition,
    recipient: holder
      ? { firstName: holder.firstName!, lastName: holder.lastName }
      : { firstName: order.buyerFirstName, lastName: order.buyerLastName },
    ticket: { url, typeNameFr: first?.ticketType.nameFr ?? "", typeNameEn: first?.ticketType.nameEn ?? "" },
    order: { url, reference: order.reference },
  };
  return renderTemplateText(kind, await loadTemplate(deps.db, edition.id, kind, locale), context, locale);
}

/**
 * The buyer's reminder of the tickets still unnamed, as they are when it leaves: none left to name, the order
 * no longer confirmed or its link replaced since it was queued, and it stays unsent.
 */
const unnamedReminder: Renderer = aboutOrder(async (deps, email, payload, order) => {
  if (order.status !== "CONFIRMED") return { supersededBecause: `order no longer confirmed (${order.status})` };
  if (payload.tokenHash !== accessTokenHash(order.accessToken)) return { supersededBecause: "order link replaced" };
  const unnamed = order.tickets
    .filter((ticket) => ticket.status === "ACTIVE" && ticket.firstName === null)
    .sort((a, b) => a.position - b.position);
  if (unnamed.length === 0) return { supersededBecause: "no ticket left to name" };
  const { edition, locale } = order;
  const orderUrl = absoluteUrl(deps.appUrl, orderPath(locale, order.accessToken));
  const deadline = namingDeadline(edition);
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(deps.db, editionNameOf(order)),
    edition,
    recipient: { firstName: order.buyerFirstName, lastName: order.buyerLastName },
    order: { url: orderUrl, reference: order.reference, unnamedCount: unnamed.length, namingDeadline: deadline },
  };
  const text = await loadTemplate(deps.db, edition.id, "unnamed_reminder", locale);
  return {
    send: renderUnnamedReminder({
      locale,
      editionName: editionNameOf(order),
      when: formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale),
      reference: order.reference,
      deadline: formatDateTime(deadline, edition.timeZone, locale),
      tickets: unnamed.map((ticket) => ({
        position: ticket.position,
        type: localized(ticket.ticketType, "name", locale),
      })),
      orderUrl,
      quietDays: REMINDER_QUIET_DAYS,
      template: renderTemplateText("unnamed_reminder", text, context, locale),
    }),
  };
});

// The organisers' legal name for the placeholder, else the edition's name in the reader's language.
async function organiserNameOf(db: Db, editionName: string): Promise<string> {
  const profile = await db.organiserProfile.findUnique({
    where: { id: ORGANISER_PROFILE_ID },
    select: { legalName: true },
  });
  return profile?.legalName ?? editionName;
}

// An issued document never changes: the email attaches it as it was issued, whatever became of the order since.
const invoiceEmail: Renderer = aboutOrder(async (_deps, _email, payload, order) => {
  const invoice = order.invoices.find((row) => row.id === payload.invoiceId);
  if (!invoice) return "missing";
  const document = storedInvoiceDocument(invoice.document);
  return {
    send: {
      ...renderInvoiceEmail(document),
      attachments: [
        {
          filename: `${document.number}.pdf`,
          content: await renderInvoicePdf(document),
          contentType: "application/pdf",
        },
      ],
    },
  };
});

/**
 * The quote of a transfer order as it is when the email leaves, or why the email must not leave: paid, cancelled or
 * past its deadline meanwhile, it has nothing left to ask for.
 */
type QuoteNow = { quote: QuoteDocument; payUrl: string; attachment: NonNullable<Mail.Options["attachments"]>[number] };

async function quoteOf(deps: RenderDeps, order: Order): Promise<QuoteNow | { supersededBecause: string }> {
  const answer = await renderOrderQuote(deps.db, { id: order.id }, new Date());
  if (answer.ok) {
    // Every transfer order gets its payment link when it is placed (place-order-sql.ts).
    if (!order.payToken) throw new Error(`transfer order ${order.reference} has no payment link`);
    return {
      quote: answer.quote,
      payUrl: absoluteUrl(deps.appUrl, payPath(order.locale, order.payToken)),
      attachment: { filename: answer.fileName, content: answer.pdf, contentType: "application/pdf" },
    };
  }
  if (answer.reason === "organiser_profile_missing")
    throw new Error(`no organiser settings to quote ${order.reference}`);
  return { supersededBecause: `order no longer awaiting a transfer (${order.status})` };
}

// The quote, to the buyer (with their order's link) or to the accounts department (with the payment link only).
const transferQuoteEmail: Renderer = aboutOrder(async (deps, _email, payload, order) => {
  const quote = await quoteOf(deps, order);
  if ("supersededBecause" in quote) return quote;
  const rendered = renderTransferQuoteEmail({
    quote: quote.quote,
    audience: payload.audience === "accounts" ? "accounts" : "buyer",
    buyerFirstName: order.buyerFirstName,
    buyerName: `${order.buyerFirstName} ${order.buyerLastName}`,
    orderUrl: absoluteUrl(deps.appUrl, orderPath(order.locale, order.accessToken)),
    payUrl: quote.payUrl,
  });
  return { send: { ...rendered, attachments: [quote.attachment] } };
});

// Written for one deadline: an organiser who extends it starts the reminders over, for the new one.
const transferReminderEmail: Renderer = aboutOrder(async (deps, _email, payload, order) => {
  if (payload.deadline !== order.holdExpiresAt?.toISOString()) return { supersededBecause: "deadline changed" };
  const quote = await quoteOf(deps, order);
  if ("supersededBecause" in quote) return quote;
  const rendered = renderTransferReminderEmail({
    quote: quote.quote,
    buyerFirstName: order.buyerFirstName,
    payUrl: quote.payUrl,
  });
  return { send: { ...rendered, attachments: [quote.attachment] } };
});

// A transfer that arrived late may have confirmed the order before this notice left: then it says nothing true.
const transferExpiredEmail: Renderer = aboutOrder((deps, _email, payload, order) => {
  if (order.status !== "EXPIRED") return { supersededBecause: `order no longer expired (${order.status})` };
  const { edition, locale } = order;
  return {
    send: renderTransferExpiredEmail({
      locale,
      buyerFirstName: order.buyerFirstName,
      editionName: editionNameOf(order),
      reference: order.reference,
      deadline: new Date(payload.deadline ?? order.holdExpiresAt ?? order.updatedAt),
      timeZone: edition.timeZone,
      editionUrl: absoluteUrl(deps.appUrl, editionPath(locale, edition.slug)),
    }),
  };
});

/** One renderer per kind of email: a new kind does not typecheck until it has one. */
// No order: the speaker registers with the code. A code withdrawn or used up before the email left is not sent.
const speakerPass: Renderer = async (deps, email, payload) => {
  const voucher = await deps.db.voucher.findUnique({
    where: { id: payload.voucherId ?? "" },
    include: { edition: true },
  });
  if (!voucher) return "missing";
  if (!voucher.active) return { supersededBecause: "code deactivated" };
  const { edition } = voucher;
  const { locale } = email;
  const url = absoluteUrl(deps.appUrl, editionWithCodePath(locale, edition.slug, voucher.code));
  const editionName = localized(edition, "name", locale);
  const name = payload.name ?? "";
  // The organisers typed the speaker's name whole: it stands for the first name of the greeting.
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(deps.db, editionName),
    edition,
    recipient: { firstName: name, lastName: null },
    voucher: { code: voucher.code, url },
  };
  const text = await loadTemplate(deps.db, edition.id, "speaker_pass", locale);
  return {
    send: renderSpeakerPass({
      locale,
      editionName,
      code: voucher.code,
      url,
      template: renderTemplateText("speaker_pass", text, context, locale),
    }),
  };
};

/**
 * The waiting list's emails, from the entry and its offer as they are when the email leaves: a confirmation of an
 * entry closed since, an offer no longer open, a lapse the person has acted on since, say nothing true any more.
 * Each carries the entry's page (to leave the list) and a one-click List-Unsubscribe to the leave endpoint.
 */
const waitlistEmail: Renderer = async (deps, email, payload) => {
  if (!payload.entryId) return "missing";
  const entry = await deps.db.waitingListEntry.findUnique({
    where: { id: payload.entryId },
    include: { edition: true },
  });
  if (!entry) return "missing";
  const { edition, locale } = entry;
  const offer =
    payload.offerId &&
    (await deps.db.waitingListOffer.findUnique({ where: { id: payload.offerId }, include: { ticketType: true } }));
  const pageUrl = absoluteUrl(deps.appUrl, waitingListPath(locale, entry.token));
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(deps.db, localized(edition, "name", locale)),
    edition,
    recipient: { firstName: entry.name, lastName: null },
    entry: { url: pageUrl },
  };
  const template = async (kind: "waitlist_joined" | "waitlist_offer" | "waitlist_offer_lapsed") =>
    renderTemplateText(kind, await loadTemplate(deps.db, edition.id, kind, locale), context, locale);
  const common = { locale, editionName: localized(edition, "name", locale), pageUrl };
  let text: ReturnType<typeof renderWaitlistEmail>;
  if (email.kind === "waitlist_joined") {
    if (entry.status !== "WAITING" && entry.status !== "OFFERED") return { supersededBecause: "entry closed" };
    const ahead = await deps.db.waitingListEntry.count({
      where: { editionId: entry.editionId, status: "WAITING", position: { lt: entry.position } },
    });
    context.entry = { url: pageUrl, position: ahead + 1 };
    text = renderWaitlistEmail({
      ...common,
      kind: email.kind,
      seats: entry.seatsWanted,
      position: ahead + 1,
      template: await template(email.kind),
    });
  } else if (!offer) {
    return "missing";
  } else if (email.kind === "waitlist_offer") {
    if (offer.status !== "OFFERED" || !offer.expiresAt) return { supersededBecause: `offer ${offer.status}` };
    const registerUrl = absoluteUrl(deps.appUrl, offerRegisterPath(locale, edition.slug, entry.token));
    context.offer = { seats: offer.seats, deadline: offer.expiresAt, url: registerUrl };
    text = renderWaitlistEmail({
      ...common,
      kind: email.kind,
      seats: offer.seats,
      wanted: entry.seatsWanted,
      type: localized(offer.ticketType, "name", locale),
      price: formatMoney(offer.ticketType.priceCents, edition.currency, locale),
      total: formatMoney(offer.ticketType.priceCents * offer.seats, edition.currency, locale),
      deadline: formatDateTime(offer.expiresAt, edition.timeZone, locale),
      registerUrl,
      template: await template(email.kind),
    });
  } else {
    if (offer.status !== "LAPSED" || entry.status !== "LAPSED") return { supersededBecause: `entry ${entry.status}` };
    text = renderWaitlistEmail({
      ...common,
      kind: "waitlist_offer_lapsed",
      template: await template("waitlist_offer_lapsed"),
    });
  }
  return {
    send: {
      ...text,
      headers: {
        "List-Unsubscribe": `<${absoluteUrl(deps.appUrl, apiWaitingListLeavePath(entry.token))}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    },
  };
};

const RENDERERS: Record<EmailKind, Renderer> = {
  order_confirmation: ticketEmail,
  ticket_issued: ownTicketEmail,
  ticket_transfer_received: ticketEmail,
  ticket_transfer_sent: aboutOrder((_deps, _email, payload, order) => ({
    send: renderTransferNotice({
      locale: order.locale,
      editionName: editionNameOf(order),
      name: payload.to ?? "",
      email: payload.toEmail ?? "",
    }),
  })),
  ticket_email_changed: aboutOrder((_deps, email, payload, order) => ({
    send: renderEmailChangedNotice({
      locale: email.locale,
      editionName: editionNameOf(order),
      reference: order.reference,
      by: payload.by ?? "organiser",
    }),
  })),
  order_cancelled: statusEmail,
  order_refunded: statusEmail,
  returning_prefill: linkEmail("prefill"),
  sign_in_link: linkEmail("signIn"),
  unnamed_reminder: unnamedReminder,
  invoice: invoiceEmail,
  transfer_quote: transferQuoteEmail,
  transfer_reminder: transferReminderEmail,
  transfer_expired: transferExpiredEmail,
  speaker_pass: speakerPass,
  waitlist_joined: waitlistEmail,
  waitlist_offer: waitlistEmail,
  waitlist_offer_lapsed: waitlistEmail,
  message: (deps, email) => renderMessageEmail(deps, email),
  practical_info: (deps, email) => renderMessageEmail(deps, email),
  privacy_export: privacyExportEmail,
  privacy_erasure_request: (deps, email) => ({
    send: renderErasureRequestEmail({ locale: email.locale, url: absoluteUrl(deps.appUrl, adminPrivacyPath()) }),
  }),
  privacy_request_refused: (_deps, email) => {
    const { kind, note } = email.payload as PrivacyRefusalPayload;
    return { send: renderRequestRefusedEmail({ locale: email.locale, kind, note }) };
  },
  certificate_ready: (deps, email) => renderCertificateEmail(deps.db, deps.appUrl, email, deps.now?.() ?? new Date()),
};

/** What the email says, from the data as it is now; or why it must not leave. */
export async function composeEmail(deps: RenderDeps, email: OutboxEmail): Promise<Composed> {
  // The kind column is free text. A kind missing from the map is one this release cannot render (a newer one wrote
  // it during a rolling deploy): the job fails and is retried, by an instance that knows it, never misrendered.
  const render = RENDERERS[email.kind as EmailKind];
  if (!render) throw new Error(`no renderer for email kind "${email.kind}" (outbox ${email.id})`);
  return render(deps, email, email.payload as Payload);
}
