import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { buttonBlock, emailLayout, footerBlock, markdownBlock, textBlock } from "@/lib/templates/layout";
import type { EmailText } from "./order-confirmation";

export type UnnamedReminderInput = {
  locale: "fr" | "en";
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
  /** The edition's wording of the kind (lib/templates/overrides.ts), its placeholders replaced. */
  template: { subject: string; markdown: string };
};

/**
 * To a buyer whose tickets are still unnamed: the organisers' subject and message, then the fixed block (which
 * tickets, by when, the button to name them).
 */
export function renderUnnamedReminder(input: UnnamedReminderInput): EmailText {
  const { locale } = input;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "unnamedReminder.email" });
  const count = input.tickets.length;
  const { subject, markdown } = input.template;
  return {
    subject,
    ...emailLayout({
      locale,
      title: subject,
      preheader: subject,
      blocks: [
        markdownBlock(markdown),
        textBlock([
          t("intro", { count, reference: input.reference, edition: input.editionName }),
          ...input.tickets.map((ticket) => t("ticketLine", ticket)),
          t("action", { count, deadline: input.deadline }),
        ]),
        buttonBlock(t("button", { count }), input.orderUrl),
        textBlock([t("after"), t("when", { when: input.when })]),
      ],
      footer: footerBlock({ reason: t("footer", { days: input.quietDays }) }),
    }),
  };
}
