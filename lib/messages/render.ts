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
import { localized } from "@/lib/i18n/format";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { ORGANISER_PROFILE_ID } from "@/lib/invoices/organiser-profile";
import { emailLayout, footerBlock, markdownBlock } from "@/lib/templates/layout";
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

/** `emailLinkKey`: signs the opt-out links (emailLinkKey in opt-out.ts); a non-essential message needs it. */
export type MessageRenderDeps = { appUrl: string; db: Db; emailLinkKey?: string };

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
  const { edition } = message;
  const locale = recipient.locale;
  if (message.status === "CANCELLED") return { supersededBecause: "message cancelled" };
  if (!message.essential && (await db.emailOptOut.count({ where: { emailHash: emailHash(recipient.emailKey) } }))) {
    return { supersededBecause: "address opted out" };
  }

  const link = (path: string) => absoluteUrl(deps.appUrl, path);
  const profile = await db.organiserProfile.findUnique({
    where: { id: ORGANISER_PROFILE_ID },
    select: { legalName: true },
  });
  const context: PlaceholderContext = {
    appUrl: deps.appUrl,
    organiserName: profile?.legalName ?? localized(edition, "name", locale),
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
