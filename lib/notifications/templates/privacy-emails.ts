import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

const translator = (locale: "fr" | "en") =>
  createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "dataRights.email" });

/** Where an attendee complains about how their data is handled: the CNIL's own page, in their language. */
export const CNIL_COMPLAINT_URL = { fr: "https://www.cnil.fr/fr/plaintes", en: "https://www.cnil.fr/en/contact-cnil" };

function oneLinkEmail(locale: "fr" | "en", subject: string, body: string, url: string, after: string): EmailText {
  return {
    subject,
    text: [body, url, "", after].join("\n"),
    html:
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title>` +
      `</head><body style="font-family:system-ui,sans-serif;color:#1b1f24"><p>${escape(body)}</p>` +
      `<p><a href="${escape(url)}">${escape(url)}</a></p>` +
      `<p style="color:#57606a">${escape(after)}</p></body></html>`,
  };
}

/** "Email me all my data": the signed link to the download, to the address it is about. */
export function renderPrivacyExportEmail(input: { locale: "fr" | "en"; url: string; hours: number }): EmailText {
  const t = translator(input.locale);
  return oneLinkEmail(
    input.locale,
    t("exportSubject"),
    t("exportBody", { hours: input.hours }),
    input.url,
    t("exportIgnore"),
  );
}

/** An attendee asked for erasure: the organisers are told where to handle it (never whose address it is). */
export function renderErasureRequestEmail(input: { locale: "fr" | "en"; url: string }): EmailText {
  const t = translator(input.locale);
  return oneLinkEmail(input.locale, t("erasureSubject"), t("erasureBody"), input.url, t("erasureAfter"));
}

/** A data request refused: the organisers' note as they wrote it, and where to complain (GDPR art. 12(4)). */
export function renderRequestRefusedEmail(input: {
  locale: "fr" | "en";
  kind: "ACCESS" | "ERASURE";
  note: string;
}): EmailText {
  const t = createTranslator({
    locale: input.locale,
    messages: input.locale === "fr" ? fr : en,
    namespace: "dataRights.refusal",
  });
  const subject = t("subject");
  const body = t("body", { kind: input.kind });
  const url = CNIL_COMPLAINT_URL[input.locale];
  return {
    subject,
    text: [body, "", input.note, "", t("complain"), url].join("\n"),
    html:
      `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title>` +
      `</head><body style="font-family:system-ui,sans-serif;color:#1b1f24"><p>${escape(body)}</p>` +
      `<blockquote style="white-space:pre-line">${escape(input.note)}</blockquote>` +
      `<p>${escape(t("complain"))}</p><p><a href="${escape(url)}">${escape(url)}</a></p></body></html>`,
  };
}
