import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

export type TransferNoticeInput = { locale: "fr" | "en"; editionName: string; name: string; email: string };

/** To the previous holder of a transferred ticket: who has it now, and that their code is void. */
export function renderTransferNotice(input: TransferNoticeInput): EmailText {
  const t = createTranslator({ locale: input.locale, messages: input.locale === "fr" ? fr : en, namespace: "email" });
  const subject = t("transferSentSubject", { edition: input.editionName });
  const body = t("transferSentBody", { edition: input.editionName, name: input.name, email: input.email });
  return {
    subject,
    text: body,
    html:
      `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title>` +
      `</head><body style="font-family:system-ui,sans-serif;color:#1b1f24"><p>${escape(body)}</p></body></html>`,
  };
}
