import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatMoney } from "@/lib/i18n/format";
import type { QuoteDocument } from "@/lib/invoices/document";
import { printedIban } from "@/lib/invoices/identifiers";
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

const BUTTON_STYLE =
  "display:inline-block;background:#0b5cad;color:#ffffff;text-decoration:none;padding:10px 16px;" +
  "border-radius:8px;font-weight:600";

const wordsOf = (locale: "fr" | "en") =>
  createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "transferQuote.email" });

const helloOf = (locale: "fr" | "en", name: string) =>
  createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "email" })("hello", { name });

/** A day in the edition's zone, as the deadline is printed on the quote: the transfer is due by its end. */
const dayOf = (date: Date, locale: "fr" | "en", timeZone: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(date);

/** A piece of an email: a paragraph, a list of lines, or a link as a button (with its address in the text). */
type Block =
  { paragraph: string; muted?: boolean } | { lines: string[]; heading: string } | { link: string; label: string };

const listItem = (line: string) => `<li>${escape(line)}</li>`;

function composed(locale: "fr" | "en", subject: string, blocks: Block[]): EmailText {
  const text = blocks.map((block) =>
    "paragraph" in block
      ? block.paragraph
      : "lines" in block
        ? [block.heading, ...block.lines.map((line) => `- ${line}`)].join("\n")
        : block.link,
  );
  const html = blocks.map((block) =>
    "paragraph" in block
      ? `<p${block.muted ? ' style="color:#57606a;font-size:13px"' : ""}>${escape(block.paragraph)}</p>`
      : "lines" in block
        ? `<p><strong>${escape(block.heading)}</strong></p>\n<ul>${block.lines.map(listItem).join("")}</ul>`
        : `<p><a href="${escape(block.link)}" style="${BUTTON_STYLE}">${escape(block.label)}</a></p>`,
  );
  return {
    subject,
    text: text.join("\n\n"),
    html: `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1b1f24">
${html.join("\n")}
</body></html>`,
  };
}

/** What every transfer email says of the payment, from the quote as it is now. */
function paymentOf(quote: QuoteDocument) {
  const { locale, payment } = quote;
  const t = wordsOf(locale);
  const values = {
    edition: quote.event.name,
    reference: quote.orderReference,
    amount: formatMoney(quote.totals.includingVatCents, quote.currency, locale),
    deadline: dayOf(payment.dueAt ?? quote.issuedAt, locale, quote.event.timeZone),
  };
  const details: Block = {
    heading: t("details"),
    lines: [
      t("beneficiary", { name: quote.seller.legalName }),
      t("amount", values),
      t("iban", { iban: printedIban(payment.iban ?? "") }),
      t("bic", { bic: payment.bic ?? "" }),
      t("reference", { reference: payment.transferReference ?? "" }),
    ],
  };
  return { t, values, details };
}

export type TransferQuoteEmailInput = {
  quote: QuoteDocument;
  /** The buyer (who manages the order) or the accounts department they named (who only pays it). */
  audience: "buyer" | "accounts";
  buyerFirstName: string;
  buyerName: string;
  /** The buyer's order page: for the buyer only. */
  orderUrl: string;
  /** The page to forward to whoever pays: the quote, or a card payment instead. */
  payUrl: string;
};

/**
 * The quote of an order placed to be paid by transfer (attached by the renderer): to the buyer with their order's
 * link and the payment link to forward, or to the accounts department with the payment link only.
 */
export function renderTransferQuoteEmail(input: TransferQuoteEmailInput): EmailText {
  const { locale } = input.quote;
  const { t, values, details } = paymentOf(input.quote);
  const forBuyer = input.audience === "buyer";
  const blocks: Block[] = [
    { paragraph: forBuyer ? helloOf(locale, input.buyerFirstName) : t("helloAccounts") },
    {
      paragraph: forBuyer
        ? t("quoteIntroBuyer", values)
        : t("quoteIntroAccounts", { ...values, buyer: input.buyerName }),
    },
    details,
    { paragraph: t("quoteReference") },
    { paragraph: forBuyer ? t("forwardBuyer") : t("payLink") },
    { link: input.payUrl, label: t("payButton") },
    ...(forBuyer ? [{ paragraph: t("manageBuyer") }, { link: input.orderUrl, label: t("manageButton") }] : []),
    { paragraph: t("afterPayment") },
    { paragraph: t("unpaid", values) },
    { paragraph: forBuyer ? t("footerBuyer") : t("footerAccounts"), muted: true },
  ];
  return composed(locale, t("quoteSubject", values), blocks);
}

/** The buyer's reminder that a transfer order's deadline nears: the same payment details, the payment link. */
export function renderTransferReminderEmail(input: {
  quote: QuoteDocument;
  buyerFirstName: string;
  payUrl: string;
}): EmailText {
  const { locale } = input.quote;
  const { t, values, details } = paymentOf(input.quote);
  return composed(locale, t("reminderSubject", values), [
    { paragraph: helloOf(locale, input.buyerFirstName) },
    { paragraph: t("reminderIntro", values) },
    details,
    { paragraph: t("quoteReference") },
    { paragraph: t("payLink") },
    { link: input.payUrl, label: t("payButton") },
    { paragraph: t("reminderPaid") },
    { paragraph: t("footerBuyer"), muted: true },
  ]);
}

/** To the buyer of a transfer order whose deadline passed unpaid: cancelled, seats freed, how to register again. */
export function renderTransferExpiredEmail(input: {
  locale: "fr" | "en";
  buyerFirstName: string;
  editionName: string;
  reference: string;
  deadline: Date;
  timeZone: string;
  editionUrl: string;
}): EmailText {
  const { locale } = input;
  const t = wordsOf(locale);
  const values = {
    edition: input.editionName,
    reference: input.reference,
    deadline: dayOf(input.deadline, locale, input.timeZone),
  };
  return composed(locale, t("expiredSubject", values), [
    { paragraph: helloOf(locale, input.buyerFirstName) },
    { paragraph: t("expiredBody", values) },
    { paragraph: t("expiredLate") },
    { paragraph: t("expiredAgain") },
    { link: input.editionUrl, label: t("expiredButton") },
    { paragraph: t("footerBuyer"), muted: true },
  ]);
}
