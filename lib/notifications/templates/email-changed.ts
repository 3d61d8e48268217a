import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

export type EmailChangedInput = {
  locale: "fr" | "en";
  editionName: string;
  reference: string;
  /** Who made the change: the organisers, or someone with the registration's private link. */
  by: "organiser" | "attendee";
};

/**
 * To the address a ticket was moved away from. It does not name the new address: the old one may
 * be a stranger's, mistyped at registration.
 */
export function renderEmailChangedNotice(input: EmailChangedInput): EmailText {
  const messages = input.locale === "fr" ? fr : en;
  const t = createTranslator({ locale: input.locale, messages, namespace: "attendeeEdges.emailChanged" });
  const values = { edition: input.editionName, reference: input.reference };
  const subject = t("subject", values);
  const body = t(input.by === "organiser" ? "bodyByOrganiser" : "bodyByAttendee", values);
  const footer = t("footer");
  return {
    subject,
    text: [body, "", footer].join("\n"),
    html: `<!doctype html>
<html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1b1f24">
<p>${escape(body)}</p>
<p style="color:#57606a;font-size:13px">${escape(footer)}</p>
</body></html>`,
  };
}
