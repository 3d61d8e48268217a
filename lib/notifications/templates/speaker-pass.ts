import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { buttonBlock, emailLayout, footerBlock, markdownBlock, textBlock } from "@/lib/templates/layout";
import type { EmailText } from "./order-confirmation";

export type SpeakerPassInput = {
  locale: "fr" | "en";
  editionName: string;
  code: string;
  /** The edition's page with the code filled in (?code=). */
  url: string;
  /** The edition's wording of the kind (lib/templates/overrides.ts), its placeholders replaced. */
  template: { subject: string; markdown: string };
};

/**
 * A speaker's free pass: the organisers' subject and message, then the fixed block (the one-use code and the button
 * that registers with it).
 */
export function renderSpeakerPass(input: SpeakerPassInput): EmailText {
  const { locale } = input;
  const messages = locale === "fr" ? fr : en;
  const t = createTranslator({ locale, messages, namespace: "voucherAdmin.speakerEmail" });
  const words = createTranslator({ locale, messages, namespace: "emailLayout.speakerPass" });
  const { subject, markdown } = input.template;
  return {
    subject,
    ...emailLayout({
      locale,
      title: subject,
      preheader: t("body", { edition: input.editionName }),
      blocks: [
        markdownBlock(markdown),
        textBlock([t("body", { edition: input.editionName }), t("code", { code: input.code }), t("link")]),
        buttonBlock(words("button"), input.url),
        textBlock([t("outro")]),
      ],
      footer: footerBlock({ reason: words("footer", { edition: input.editionName }) }),
    }),
  };
}
