import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

export type UnnamedReminderInput = {
  locale: "fr" | "en";
  buyerFirstName: string;
  editionName: string;
  /** The edition's dates, as the reader writes them. */
  when: string;
  reference: string;
  /** The last moment the buyer may name them, as the reader writes it. */
  deadline: string;
  /** The tickets still to name, with their type in the reader's language. */
  tickets: { position: number; type: string }[];
  orderUrl: string;
  quietDays: number;
};

/** To a buyer whose tickets are still unnamed: which ones, by when, and the link to name them. */
export function renderUnnamedReminder(input: UnnamedReminderInput): EmailText {
  const { locale } = input;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "unnamedReminder.email" });
  const count = input.tickets.length;
  const subject = t("subject", { count, edition: input.editionName });
  const hello = t("hello", { name: input.buyerFirstName });
  const intro = t("intro", { count, reference: input.reference, edition: input.editionName });
  const when = t("when", { when: input.when });
  const lines = input.tickets.map((ticket) => t("ticketLine", ticket));
  const action = t("action", { count, deadline: input.deadline });
  const after = t("after");
  const button = t("button", { count });
  const footer = t("footer", { days: input.quietDays });
  const buttonStyle =
    "display:inline-block;background:#0b5cad;color:#ffffff;text-decoration:none;padding:10px 16px;" +
    "border-radius:8px;font-weight:600";
  return {
    subject,
    text: [
      hello,
      "",
      intro,
      ...lines.map((line) => `- ${line}`),
      "",
      action,
      input.orderUrl,
      after,
      "",
      when,
      "",
      footer,
    ].join("\n"),
    html: `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1b1f24">
<p>${escape(hello)}</p>
<p>${escape(intro)}</p>
<ul>${lines.map((line) => `<li>${escape(line)}</li>`).join("")}</ul>
<p>${escape(action)}</p>
<p><a href="${escape(input.orderUrl)}" style="${buttonStyle}">${escape(button)}</a></p>
<p>${escape(after)}</p>
<p>${escape(when)}</p>
<p style="color:#57606a;font-size:13px">${escape(footer)}</p>
</body></html>`,
  };
}
