import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

export type LinkEmailInput = { locale: "fr" | "en"; url: string; purpose: "prefill" | "signIn" };

/** A one-link email: the returning attendee's form refill, or an organiser's sign-in link. */
export function renderLinkEmail(input: LinkEmailInput): EmailText {
  const t = createTranslator({ locale: input.locale, messages: input.locale === "fr" ? fr : en, namespace: "email" });
  const subject = t(`${input.purpose}Subject`);
  const body = t(`${input.purpose}Body`);
  const ignore = t(`${input.purpose}Ignore`);
  return {
    subject,
    text: [body, input.url, "", ignore].join("\n"),
    html:
      `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title>` +
      `</head><body style="font-family:system-ui,sans-serif;color:#1b1f24"><p>${escape(body)}</p>` +
      `<p><a href="${escape(input.url)}">${escape(input.url)}</a></p>` +
      `<p style="color:#57606a">${escape(ignore)}</p></body></html>`,
  };
}
