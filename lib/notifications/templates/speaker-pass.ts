import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

export type SpeakerPassInput = {
  locale: "fr" | "en";
  name: string;
  editionName: string;
  code: string;
  /** The edition's page with the code filled in (?code=). */
  url: string;
};

/** A speaker's free pass: their one-use code and the link that registers with it. */
export function renderSpeakerPass(input: SpeakerPassInput): EmailText {
  const t = createTranslator({
    locale: input.locale,
    messages: input.locale === "fr" ? fr : en,
    namespace: "voucherAdmin.speakerEmail",
  });
  const subject = t("subject", { edition: input.editionName });
  const lines = [
    t("greeting", { name: input.name }),
    t("body", { edition: input.editionName }),
    t("code", { code: input.code }),
    t("link"),
  ];
  const outro = t("outro");
  return {
    subject,
    text: [...lines, input.url, "", outro].join("\n"),
    html:
      `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title>` +
      `</head><body style="font-family:system-ui,sans-serif;color:#1b1f24">` +
      lines.map((line) => `<p>${escape(line)}</p>`).join("") +
      `<p><a href="${escape(input.url)}">${escape(input.url)}</a></p>` +
      `<p style="color:#57606a">${escape(outro)}</p></body></html>`,
  };
}
