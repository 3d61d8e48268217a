import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import { absoluteUrl, ticketCertificatePath } from "@/lib/http/paths";
import { localized } from "@/lib/i18n/format";
import { localeOr } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { buttonBlock, emailLayout, footerBlock, markdownBlock } from "@/lib/templates/layout";
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

// Names go into Markdown: every ASCII punctuation character escaped (CommonMark allows it) keeps "*Bob*" literal.
const literal = (text: string) => text.replace(/[!-/:-@[-`{-~]/g, "\\$&");

/**
 * The `certificate_ready` email of one recipient of an edition's standing CERTIFICATE message (payload
 * `{messageId, recipientId}`), rendered when it leaves: the certificate attached and its link. Superseded when the
 * message was cancelled, when the ticket went to another address since (its certificate is its new holder's), or
 * when the ticket is no longer eligible (a check-in undone, a refund).
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
    select: { email: true, accessToken: true, edition: { select: { nameFr: true, nameEn: true } } },
  });
  if (!ticket) return "missing";
  if (ticket.email?.trim().toLowerCase() !== recipient.emailKey || !ticket.accessToken) {
    return { supersededBecause: "ticket holder changed" };
  }
  const locale = localeOr(recipient.locale);
  const file = await certificateFile(db, { editionId: recipient.message.editionId, ticketId: recipient.ticketId }, now);
  if (!file) return { supersededBecause: "not eligible" };
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "certificates.email" });
  const edition = localized(ticket.edition, "name", locale);
  const url = absoluteUrl(appUrl, ticketCertificatePath(locale, ticket.accessToken));
  const subject = t("subject", { edition });
  const { html, text } = emailLayout({
    locale,
    title: subject,
    preheader: t("preheader"),
    blocks: [
      markdownBlock(
        `${t("greeting", { name: literal(recipient.firstName) })}\n\n${t("body", { edition: literal(edition) })}`,
      ),
      buttonBlock(t("button"), url),
    ],
    footer: footerBlock({ reason: t("reason", { edition }) }),
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
