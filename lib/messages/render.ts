import type { KeyObject } from "node:crypto";
import { createTranslator } from "next-intl";
import type Mail from "nodemailer/lib/mailer";
import type { Db } from "@/lib/db/prisma";
import {
  absoluteUrl,
  apiEmailOptOutPath,
  emailPreferencesPath,
  orderPath,
  ticketPath,
  waitingListPath,
} from "@/lib/http/paths";
import { confirmedSeat } from "@/lib/capacity/seats";
import type { Edition, Message, MessageRecipient } from "@/lib/generated/prisma/client";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { signTicketCode } from "@/lib/tickets/codes";
import { qrPng } from "@/lib/tickets/issue";
import { renderTicketsPdf } from "@/lib/tickets/pdf";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { ORGANISER_PROFILE_ID } from "@/lib/invoices/organiser-profile";
import {
  buttonBlock,
  detailsBlock,
  emailLayout,
  footerBlock,
  textBlock,
  markdownBlock,
  ticketBlock,
} from "@/lib/templates/layout";
import { loadTemplate, renderTemplateText } from "@/lib/templates/overrides";
import {
  renderBodyPlaceholders,
  renderSubjectPlaceholders,
  type PlaceholderContext,
  type TemplateKey,
} from "@/lib/templates/placeholders";
import { emailHash, emailKeyOf, optOutToken } from "./opt-out";

type Locale = "fr" | "en";

/** A message's outbox row: which message, which of its recipients (written by queueRecipients). */
export type MessageEmailPayload = { messageId: string; recipientId: string };

/**
 * What the email says, or why it must not leave, or that what it is about is gone: the shape the worker's renderers
 * answer (lib/notifications/renderers.ts `Composed`), which this folder, below notifications, cannot import.
 */
export type MessageComposed =
  { send: Omit<Mail.Options, "from" | "to" | "messageId"> } | { supersededBecause: string } | "missing";

/**
 * `emailLinkKey`: signs the opt-out links (emailLinkKeyFrom in opt-out.ts), which a non-essential message needs;
 * `signingKey`: signs the ticket codes the practical information carries.
 */
export type MessageRenderDeps = { appUrl: string; db: Db; signingKey: KeyObject; emailLinkKey?: string };

/** The text of one language, else the other's: a message written in one language still reaches everyone. */
const inLanguage = (message: { subjectFr: string; subjectEn: string; bodyFr: string; bodyEn: string }, l: Locale) => {
  const [own, other]: Locale[] = l === "fr" ? ["fr", "en"] : ["en", "fr"];
  const pick = (field: "subject" | "body") => {
    const value = (lang: Locale) => message[`${field}${lang === "fr" ? "Fr" : "En"}`];
    return value(own).trim() !== "" ? value(own) : value(other);
  };
  return { subject: pick("subject"), body: pick("body") };
};

/**
 * One recipient's email of an organiser's message, rendered when it leaves, in the recipient's language, with their
 * own values for the placeholders. Not sent when the message was cancelled, when the address opted out since (a
 * non-essential message), when the ticket it was chosen for has another holder now (their link must not reach the
 * previous one), when the order's buyer changed address, or when a waiting-list entry left the list.
 */
export async function renderMessageEmail(
  deps: MessageRenderDeps,
  email: { payload: unknown },
): Promise<MessageComposed> {
  const { recipientId } = (email.payload ?? {}) as Partial<MessageEmailPayload>;
  if (!recipientId) return "missing";
  const { db } = deps;
  const recipient = await db.messageRecipient.findUnique({
    where: { id: recipientId },
    include: { message: { include: { edition: true } } },
  });
  if (!recipient) return "missing";
  const { message } = recipient;
  if (message.status === "CANCELLED") return { supersededBecause: "message cancelled" };
  if (message.kind === "PRACTICAL_INFO") return renderPracticalInfo(deps, recipient, message.edition, new Date());
  if (!message.essential && (await db.emailOptOut.count({ where: { emailHash: emailHash(recipient.emailKey) } }))) {
    return { supersededBecause: "address opted out" };
  }
  return composeMessageEmail(deps, message, recipient);
}

/** Who an organiser's message is rendered for: a MessageRecipient row, or recipientRowsSql's row before it is one. */
export type MessageAddressee = Pick<
  MessageRecipient,
  "emailKey" | "firstName" | "locale" | "ticketId" | "orderId" | "entryId"
>;

/**
 * An organiser's message as one addressee receives it, from the rows as they are now: the send (above) and the
 * message page's preview (preview.ts) both call it, so the preview is the email. Reads only.
 */
export async function composeMessageEmail(
  deps: Omit<MessageRenderDeps, "signingKey">,
  message: Message & { edition: Edition },
  recipient: MessageAddressee,
): Promise<MessageComposed> {
  const { db } = deps;
  const { edition } = message;
  const locale = recipient.locale;
  const link = (path: string) => absoluteUrl(deps.appUrl, path);
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(db, edition, locale),
    edition,
    recipient: { firstName: recipient.firstName, lastName: null },
  };
  if (message.audience === "ATTENDEES") {
    const ticket = recipient.ticketId
      ? await db.ticket.findUnique({ where: { id: recipient.ticketId }, include: { order: true, ticketType: true } })
      : null;
    if (!ticket) return "missing";
    const { order } = ticket;
    if (emailKeyOf(ticket.email ?? order.buyerEmail) !== recipient.emailKey) {
      return { supersededBecause: "ticket changed holder" };
    }
    // The link the address already holds: the buyer's is the order's (unnamed tickets, solo orders), an attendee's
    // of a group their own ticket's.
    const isBuyer = emailKeyOf(order.buyerEmail) === recipient.emailKey;
    const url =
      isBuyer || !ticket.accessToken ? orderPath(locale, order.accessToken) : ticketPath(locale, ticket.accessToken);
    context.recipient = {
      firstName: recipient.firstName,
      lastName: ticket.email ? ticket.lastName : order.buyerLastName,
    };
    context.ticket = { url: link(url), typeNameFr: ticket.ticketType.nameFr, typeNameEn: ticket.ticketType.nameEn };
  } else if (message.audience === "BUYERS") {
    const order = recipient.orderId ? await db.order.findUnique({ where: { id: recipient.orderId } }) : null;
    if (!order) return "missing";
    if (emailKeyOf(order.buyerEmail) !== recipient.emailKey) return { supersededBecause: "order changed buyer" };
    context.recipient = { firstName: recipient.firstName, lastName: order.buyerLastName };
    context.order = { url: link(orderPath(locale, order.accessToken)), reference: order.reference };
  } else {
    const entry = recipient.entryId ? await db.waitingListEntry.findUnique({ where: { id: recipient.entryId } }) : null;
    if (!entry) return "missing";
    if (entry.status !== "WAITING" && entry.status !== "OFFERED") return { supersededBecause: `entry ${entry.status}` };
    context.entry = { url: link(waitingListPath(locale, entry.token)) };
  }

  const key: TemplateKey = `message:${message.audience}`;
  const text = inLanguage(message, locale);
  const subject = renderSubjectPlaceholders(key, text.subject, context, locale);
  const body = markdownBlock(renderBodyPlaceholders(key, text.body, context, locale));
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "messageEmails" });
  const edition_ = localized(edition, "name", locale);
  let optOut: { label: string; href: string } | undefined;
  let headers: Record<string, string> | undefined;
  if (!message.essential) {
    if (!deps.emailLinkKey) throw new Error("a non-essential message needs EMAIL_LINK_HMAC_KEY or AUTH_SECRET");
    const token = optOutToken(deps.emailLinkKey, recipient.emailKey);
    optOut = { label: t("optOut"), href: link(emailPreferencesPath(locale, token)) };
    headers = {
      "List-Unsubscribe": `<${link(apiEmailOptOutPath(token))}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    };
  }
  const rendered = emailLayout({
    locale,
    title: subject,
    preheader: body.text.replace(/\s+/g, " ").trim().slice(0, 120),
    blocks: [body],
    footer: footerBlock({ reason: t(`reason.${message.audience}`, { edition: edition_ }), optOut }),
  });
  return { send: { subject, html: rendered.html, text: rendered.text, ...(headers && { headers }) } };
}

/** `{{ organiser_name }}`: the organiser's legal name (OrganiserProfile), else the edition's name. */
async function organiserNameOf(db: Db, edition: Edition, locale: Locale): Promise<string> {
  const profile = await db.organiserProfile.findUnique({
    where: { id: ORGANISER_PROFILE_ID },
    select: { legalName: true },
  });
  return profile?.legalName ?? localized(edition, "name", locale);
}

/**
 * The practical information, a few days before the edition: when and where, the map and the schedule, and the
 * tickets the address holds now (its own; for a buyer, the order's unnamed ones too) as QR codes and as a PDF. Not
 * sent once the edition started, when the organisers turned it off, or when the address holds no live ticket any
 * more. Its subject and message are the edition's `practical_info` template (the organisers' wording, else the
 * default), the rest is the app's fixed block.
 */
async function renderPracticalInfo(
  deps: MessageRenderDeps,
  recipient: MessageRecipient,
  edition: Edition,
  now: Date,
): Promise<MessageComposed> {
  if (now >= edition.startsAt) return { supersededBecause: "edition started" };
  if (edition.practicalInfoDays === null) return { supersededBecause: "practical information turned off" };
  const held = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT t.id::text AS id FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
     WHERE t."editionId" = ${edition.id}::uuid AND ${confirmedSeat}
       AND lower(btrim(coalesce(t.email, o."buyerEmail"))) = ${recipient.emailKey}
     ORDER BY t."createdAt", t.position, t.id`;
  if (held.length === 0) return { supersededBecause: "no live ticket" };
  const tickets = await deps.db.ticket.findMany({
    where: { id: { in: held.map((row) => row.id) } },
    include: { order: true, ticketType: true },
    orderBy: [{ createdAt: "asc" }, { position: "asc" }, { id: "asc" }],
  });
  const { locale } = recipient;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "messageEmails" });
  const editionName = localized(edition, "name", locale);
  const when = formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale);
  const where = `${edition.venueName}, ${edition.venueAddress}`;
  const link = (path: string) => absoluteUrl(deps.appUrl, path);
  const [first] = tickets;
  const isBuyer = emailKeyOf(first.order.buyerEmail) === recipient.emailKey;
  const page =
    isBuyer || !first.accessToken ? orderPath(locale, first.order.accessToken) : ticketPath(locale, first.accessToken);
  const unnamed = tickets.filter((ticket) => ticket.firstName === null).length;
  const holderOf = (ticket: (typeof tickets)[number]) =>
    ticket.firstName === null
      ? t("practicalInfo.unnamed", { position: ticket.position })
      : `${ticket.firstName} ${ticket.lastName}`;
  const coded = tickets.map((ticket, i) => ({
    ticket,
    holder: holderOf(ticket),
    cid: `ticket-${i + 1}@guichet`,
    code: signTicketCode(
      { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
      deps.signingKey,
    ),
  }));
  const mapUrl = edition.mapUrl ?? `https://www.openstreetmap.org/search?query=${encodeURIComponent(where)}`;
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: await organiserNameOf(deps.db, edition, locale),
    edition,
    recipient: { firstName: recipient.firstName, lastName: first.email ? first.lastName : first.order.buyerLastName },
    ticket: { url: link(page), typeNameFr: first.ticketType.nameFr, typeNameEn: first.ticketType.nameEn },
  };
  const template = await loadTemplate(deps.db, edition.id, "practical_info", locale);
  const { subject, markdown } = renderTemplateText("practical_info", template, context, locale);
  const blocks = [
    markdownBlock(markdown),
    detailsBlock([
      { label: t("practicalInfo.when"), value: when },
      { label: t("practicalInfo.where"), value: where },
    ]),
    buttonBlock(t("practicalInfo.map"), mapUrl),
    ...(edition.scheduleUrl ? [buttonBlock(t("practicalInfo.schedule"), edition.scheduleUrl)] : []),
    ...coded.map(({ ticket, holder, cid }) =>
      ticketBlock({
        qrCid: cid,
        alt: t("practicalInfo.qrAlt", { holder }),
        holder,
        type: localized(ticket.ticketType, "name", locale),
      }),
    ),
    ...(isBuyer && unnamed > 0 ? [textBlock([t("practicalInfo.nameThem", { count: unnamed })])] : []),
    buttonBlock(t("practicalInfo.page"), link(page)),
  ];
  const rendered = emailLayout({
    locale,
    title: subject,
    preheader: `${when} · ${where}`,
    blocks,
    footer: footerBlock({ reason: t("practicalInfo.reason", { edition: editionName }) }),
  });
  const pdf = await renderTicketsPdf(
    coded.map(({ ticket, holder, code }) => ({
      code,
      holder,
      company: ticket.company,
      ticketType: localized(ticket.ticketType, "name", locale),
      editionName,
      when,
      where,
      reference: ticket.order.reference,
    })),
    locale,
  );
  return {
    send: {
      subject,
      html: rendered.html,
      text: rendered.text,
      attachments: [
        ...(await Promise.all(
          coded.map(async ({ cid, code }) => ({
            filename: "qr.png",
            content: await qrPng(code),
            cid,
            contentType: "image/png",
          })),
        )),
        { filename: `tickets-${edition.slug}.pdf`, content: pdf, contentType: "application/pdf" },
      ],
    },
  };
}
