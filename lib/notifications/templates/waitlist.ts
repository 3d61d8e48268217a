import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

type Common = {
  locale: "fr" | "en";
  name: string;
  editionName: string;
  /** The entry's private page: position, offer, decline, leave. */
  pageUrl: string;
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

// A paragraph of text, or a link shown on its own line.
type Block = { text: string } | { url: string };

/** The waiting list's emails: joined, seats offered, offer lapsed; each with the entry's page to leave the list. */
export function renderWaitlistEmail(input: WaitlistEmailInput): EmailText {
  const t = createTranslator({
    locale: input.locale,
    messages: input.locale === "fr" ? fr : en,
    namespace: "waitingList.email",
  });
  const edition = input.editionName;
  const page = { url: input.pageUrl };
  let subject: string;
  let blocks: Block[];
  if (input.kind === "waitlist_joined") {
    subject = t("joinedSubject", { edition });
    blocks = [
      { text: t("joinedBody", { edition, seats: input.seats, position: input.position }) },
      { text: t("joinedHow") },
      page,
      { text: t("joinedNotYou") },
    ];
  } else if (input.kind === "waitlist_offer") {
    const { seats, wanted, type, price, total, deadline } = input;
    subject = t("offerSubject", { edition, seats, deadline });
    blocks = [
      { text: t("offerBody", { edition, seats, type, price, total, deadline }) },
      ...(wanted > seats ? [{ text: t("offerFewer", { wanted, seats }) }] : []),
      { text: t("offerRegister") },
      { url: input.registerUrl },
      { text: t("offerDecline", { seats }) },
      page,
    ];
  } else {
    subject = t("lapsedSubject", { edition });
    blocks = [{ text: t("lapsedBody", { edition }) }, { text: t("lapsedAgain") }, page];
  }
  const lines = [
    { text: t("greeting", { name: input.name }) },
    ...blocks,
    { text: t("leave", { url: input.pageUrl }) },
  ];
  const footer = t("footer", { edition });
  return {
    subject,
    text: [...lines.map((line) => ("url" in line ? line.url : line.text)), "", footer].join("\n"),
    html:
      `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(subject)}</title>` +
      `</head><body style="font-family:system-ui,sans-serif;color:#1b1f24">` +
      lines
        .map((line) =>
          "url" in line
            ? `<p><a href="${escape(line.url)}">${escape(line.url)}</a></p>`
            : `<p>${escape(line.text)}</p>`,
        )
        .join("") +
      `<p style="color:#57606a">${escape(footer)}</p></body></html>`,
  };
}
