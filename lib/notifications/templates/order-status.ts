import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatMoney } from "@/lib/i18n/format";
import { emailLayout, footerBlock, markdownBlock, textBlock, type EmailBlock } from "@/lib/templates/layout";
import type { EmailText } from "./order-confirmation";

export type StatusEmailInput = {
  locale: "fr" | "en";
  kind: "order_cancelled" | "order_refunded";
  /** The order's status reason: who cancelled, or why it was refunded. */
  reason: string;
  editionName: string;
  reference: string;
  amountCents?: number;
  currency?: string;
  /** One ticket of the order cancelled on its own, told to the buyer: which one, and whether it was the last valid. */
  ticket?: { position: number; holder: string | null; lastTicket?: boolean };
  /** Paid by bank transfer: the money goes back by the organiser's transfer, not to a card. */
  byTransfer?: boolean;
  /**
   * The edition's wording of the kind (lib/templates/overrides.ts), its placeholders replaced. Its subject is the
   * whole order's: a one-ticket notice and a late payment's refund keep the app's own (see subjectOf).
   */
  template: { subject: string; markdown: string };
};

// Which text tells the attendee what happened: the refund of a late payment is not their choice.
function variant({ kind, reason }: Pick<StatusEmailInput, "kind" | "reason">) {
  if (kind === "order_cancelled")
    return reason === "organiser_cancelled" ? "cancelledByOrganiser" : "cancelledByAttendee";
  return reason === "late_payment_no_seat" ? "latePaymentRefunded" : "refunded";
}

/** A cancellation or refund notice, in the attendee's language; a refund states its amount. */
export function renderStatusEmail(input: StatusEmailInput): EmailText {
  const { locale } = input;
  const messages = locale === "fr" ? fr : en;
  const t = createTranslator({ locale, messages, namespace: "emails" });
  const amount =
    input.amountCents === undefined || !input.currency ? "" : formatMoney(input.amountCents, input.currency, locale);
  const remaining = input.ticket
    ? createTranslator({ locale, messages, namespace: "ticketRefund.email" })(
        input.ticket.lastTicket ? "noOtherTicket" : "othersStayValid",
      )
    : "";
  const values = { edition: input.editionName, reference: input.reference, amount, remaining };
  const { subject: appSubject, body } = input.ticket
    ? ticketTexts(locale, messages, input, input.ticket, values)
    : { subject: t(`${variant(input)}.subject`, values), body: t(`${variant(input)}.body`, values) };
  // The texts above say where a card refund goes; a transfer's money goes back another way, said instead.
  const byTransfer = input.byTransfer && input.kind === "order_refunded";
  const refundBody = byTransfer
    ? t(input.ticket ? "refundedByTransfer.ticketBody" : "refundedByTransfer.body", {
        ...values,
        ticket: input.ticket ? ticketName(locale, messages, input.ticket) : "",
      })
    : body;
  // The organisers' subject speaks of the whole order. A one-ticket notice (the rest of the order stays valid) and a
  // late payment's refund (the person was never registered) keep the app's, so no subject tells them a falsehood.
  const ownSubject = input.ticket !== undefined || variant(input) === "latePaymentRefunded";
  const subject = ownSubject ? appSubject : input.template.subject;
  return {
    subject,
    ...emailLayout({
      locale,
      title: subject,
      preheader: refundBody,
      // One cell: the greeting and the sentence read as one message.
      blocks: [joined(markdownBlock(input.template.markdown), textBlock([refundBody]))],
      footer: footerBlock({ reason: t("statusFooter") }),
    }),
  };
}

const joined = (first: EmailBlock, second: EmailBlock): EmailBlock => ({
  html: first.html + second.html,
  text: `${first.text}\n\n${second.text}`,
});

function ticketTexts(
  locale: "fr" | "en",
  messages: typeof en,
  { kind, reason }: Pick<StatusEmailInput, "kind" | "reason">,
  { position, holder }: { position: number; holder: string | null },
  values: { edition: string; reference: string; amount: string; remaining: string },
) {
  const t = createTranslator({ locale, messages, namespace: "ticketRefund.email" });
  const ticket = ticketName(locale, messages, { position, holder });
  // The buyer did not ask for this one: its attendee gave it back from their own page.
  if (reason === "attendee_cancelled_ticket") {
    const own = createTranslator({ locale, messages, namespace: "ticketSelfService.email" });
    const which = kind === "order_refunded" ? "refunded" : "cancelled";
    return { subject: own(`${which}.subject`, values), body: own(`${which}.body`, { ...values, ticket }) };
  }
  const byOrganiser = reason === "organiser_cancelled";
  const which =
    kind === "order_refunded"
      ? byOrganiser
        ? "refundedByOrganiser"
        : "refunded"
      : byOrganiser
        ? "cancelledByOrganiser"
        : "cancelled";
  return { subject: t(`${which}.subject`, values), body: t(`${which}.body`, { ...values, ticket }) };
}

/** "ticket 2 (Ada Lovelace)", or "ticket 2" while unnamed. */
function ticketName(
  locale: "fr" | "en",
  messages: typeof en,
  { position, holder }: NonNullable<StatusEmailInput["ticket"]>,
) {
  const t = createTranslator({ locale, messages, namespace: "ticketRefund.email" });
  return holder ? t("ticketNamed", { position, holder }) : t("ticketUnnamed", { position });
}
