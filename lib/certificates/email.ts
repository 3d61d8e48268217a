import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import { absoluteUrl, ticketCertificatePath, ticketPath } from "@/lib/http/paths";
import { localized } from "@/lib/i18n/format";
import { localeOr } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { ORGANISER_PROFILE_ID } from "@/lib/invoices/organiser-profile";
import { buttonBlock, emailLayout, footerBlock, markdownBlock } from "@/lib/templates/layout";
import { loadTemplate, renderTemplateText } from "@/lib/templates/overrides";
import type { PlaceholderContext } from "@/lib/templates/placeholders";
import { certificateFile } from "./documents";

type CertificateEmail =
  | {
      send: {
        subject: string;
        html: string;
        text: string;
        attachments: { filename: string; content: Buffer; contentType: string }[];
      };
    }
  | { supersededBecause: string }
  | "missing";

/**
 * The `certificate_ready` email of one recipient of an edition's standing CERTIFICATE message (payload
 * `{messageId, recipientId}`), rendered when it leaves: the edition's `certificate_ready` template (the organisers'
 * subject and message, else the default), then the app's fixed block, the certificate's link and the PDF attached.
 * Superseded when the message was cancelled, when the ticket went to another address since (its certificate is its
 * new holder's), or when the ticket is no longer eligible (a check-in undone, a refund).
 */
export async function renderCertificateEmail(
  db: Db,
  appUrl: string,
  email: { payload: unknown },
  now: Date,
): Promise<CertificateEmail> {
  const { recipientId } = (email.payload ?? {}) as { recipientId?: string };
  if (!recipientId) return "missing";
  const recipient = await db.messageRecipient.findUnique({ where: { id: recipientId }, include: { message: true } });
  if (!recipient?.ticketId) return "missing";
  if (recipient.message.status === "CANCELLED") return { supersededBecause: "message cancelled" };
  const ticket = await db.ticket.findUnique({
    where: { id: recipient.ticketId },
    select: { email: true, lastName: true, accessToken: true, edition: true, ticketType: true },
  });
  if (!ticket) return "missing";
  if (ticket.email?.trim().toLowerCase() !== recipient.emailKey || !ticket.accessToken) {
    return { supersededBecause: "ticket holder changed" };
  }
  const locale = localeOr(recipient.locale);
  const file = await certificateFile(db, { editionId: recipient.message.editionId, ticketId: recipient.ticketId }, now);
  if (!file) return { supersededBecause: "not eligible" };
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "certificates.email" });
  const { edition } = ticket;
  const editionName = localized(edition, "name", locale);
  const url = absoluteUrl(appUrl, ticketCertificatePath(locale, ticket.accessToken));
  const profile = await db.organiserProfile.findUnique({
    where: { id: ORGANISER_PROFILE_ID },
    select: { legalName: true },
  });
  const context: PlaceholderContext = {
    appUrl,
    organiserName: profile?.legalName ?? editionName,
    edition,
    recipient: { firstName: recipient.firstName, lastName: ticket.lastName },
    ticket: {
      url: absoluteUrl(appUrl, ticketPath(locale, ticket.accessToken)),
      typeNameFr: ticket.ticketType.nameFr,
      typeNameEn: ticket.ticketType.nameEn,
    },
    certificate: { url },
  };
  const template = await loadTemplate(db, edition.id, "certificate_ready", locale);
  const { subject, markdown } = renderTemplateText("certificate_ready", template, context, locale);
  const { html, text } = emailLayout({
    locale,
    title: subject,
    preheader: t("preheader"),
    blocks: [markdownBlock(markdown), buttonBlock(t("button"), url)],
    footer: footerBlock({ reason: t("reason", { edition: editionName }) }),
  });
  return {
    send: {
      subject,
      html,
      text,
      attachments: [{ filename: file.filename, content: file.pdf, contentType: "application/pdf" }],
    },
  };
}
