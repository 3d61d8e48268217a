import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import {
  buttonBlock,
  emailLayout,
  footerBlock,
  markdownBlock,
  textBlock,
  type EmailBlock,
} from "@/lib/templates/layout";
import type { EmailText } from "./order-confirmation";

type Common = {
  locale: "fr" | "en";
  editionName: string;
  /** The entry's private page: position, offer, decline, leave. */
  pageUrl: string;
  /** The edition's wording of the kind (lib/templates/overrides.ts), its placeholders replaced. */
  template: { subject: string; markdown: string };
};

export type WaitlistEmailInput = Common &
  (
    | { kind: "waitlist_joined"; seats: number; position: number }
    | {
        kind: "waitlist_offer";
        seats: number;
        /** What the entry asked for: more than offered, taking these ends the wait all the same. */
        wanted: number;
        type: string;
        price: string;
        total: string;
        deadline: string;
        registerUrl: string;
      }
    | { kind: "waitlist_offer_lapsed" }
  );

/**
 * The waiting list's emails: joined, seats offered, offer lapsed. The organisers' subject and message first, then the
 * fixed block the app writes (the seats, the position or the offer and its buttons) and the entry's page to leave.
 */
export function renderWaitlistEmail(input: WaitlistEmailInput): EmailText {
  const t = createTranslator({
    locale: input.locale,
    messages: input.locale === "fr" ? fr : en,
    namespace: "waitingList.email",
  });
  const words = createTranslator({
    locale: input.locale,
    messages: input.locale === "fr" ? fr : en,
    namespace: "emailLayout.waitlist",
  });
  const edition = input.editionName;
  const { pageUrl } = input;
  // Buttons say what they open; their address is in the text part (and the entry's token is too long for a label).
  const page = buttonBlock(words("pageButton"), pageUrl);
  let fixed: EmailBlock[];
  if (input.kind === "waitlist_joined") {
    fixed = [
      textBlock([t("joinedBody", { edition, seats: input.seats, position: input.position }), t("joinedHow")]),
      page,
      textBlock([t("joinedNotYou")]),
    ];
  } else if (input.kind === "waitlist_offer") {
    const { seats, wanted, type, price, total, deadline } = input;
    fixed = [
      textBlock([
        t("offerBody", { edition, seats, type, price, total, deadline }),
        ...(wanted > seats ? [t("offerFewer", { wanted, seats })] : []),
        t("offerRegister"),
      ]),
      buttonBlock(words("registerButton"), input.registerUrl),
      textBlock([t("offerDecline", { seats })]),
      page,
    ];
  } else {
    fixed = [textBlock([t("lapsedAgain")]), page];
  }
  const { subject, markdown } = input.template;
  return {
    subject,
    ...emailLayout({
      locale: input.locale,
      title: subject,
      preheader: subject,
      blocks: [markdownBlock(markdown), ...fixed],
      footer: footerBlock({ reason: t("footer", { edition }), optOut: { label: t("leave"), href: pageUrl } }),
    }),
  };
}
