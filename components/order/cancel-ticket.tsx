import { getTranslations } from "next-intl/server";
import { formatDateTime, formatMoney } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { ticketCancelRight } from "@/lib/tickets/self-service";

type Props = {
  order: {
    status: string;
    amountCents: number;
    currency: string;
    paymentIntentId: string | null;
    edition: { startsAt: Date; editDeadline: Date | null; refundDeadline: Date | null; timeZone: string };
    refunds: { ticketId: string | null; amountCents: number; currency: string }[];
    tickets?: { status: string }[];
  };
  ticket: { id: string; position: number; status: string; priceCents: number };
  /** The server action that cancels this ticket, bound to the order's link. */
  action: () => Promise<void>;
  locale: Locale;
  refusal?: string;
  /** Who cancels: the buyer, any ticket of their order, or an attendee their own (worded for them). */
  by?: "buyer" | "attendee";
};

/**
 * One ticket of a group, on the buyer's order page (or its attendee's own page): "cancel this ticket"
 * behind a confirmation step while it may be, or what became of it once cancelled (with the amount refunded).
 */
export async function CancelTicket({ order, ticket, action, locale, refusal, by = "buyer" }: Props) {
  const t = await getTranslations("ticketRefund.page");
  const own = await getTranslations("ticketSelfService.cancel");
  const words = by === "attendee" ? own : t;
  const refund = order.refunds.find((candidate) => candidate.ticketId === ticket.id);
  if (ticket.status === "REFUNDED" && refund) {
    return (
      <p className="ticket-state">
        {t("refunded", { amount: formatMoney(refund.amountCents, refund.currency, locale) })}
      </p>
    );
  }
  if (ticket.status !== "ACTIVE") return <p className="ticket-state">{t("cancelled")}</p>;
  const right = ticketCancelRight(order, ticket, new Date());
  if (!right) return null;
  const { edition } = order;
  // The buyer's last live ticket: "the other tickets stay valid" would be untrue, the order ends with it.
  const last = by === "buyer" && order.tickets?.filter((other) => other.status === "ACTIVE").length === 1;
  return (
    <details className="cancel-ticket" open={refusal !== undefined}>
      <summary>{words("open")}</summary>
      {refusal && t.has(`refusal.${refusal}`) && <p className="notice">{t(`refusal.${refusal}`)}</p>}
      <p className="muted">
        {right === "refund"
          ? words(last ? "paidHintLast" : "paidHint", {
              amount: formatMoney(ticket.priceCents, order.currency, locale),
              date: formatDateTime(edition.refundDeadline!, edition.timeZone, locale),
            })
          : words(last ? "freeHintLast" : "freeHint")}
      </p>
      <form action={action}>
        <button type="submit" className="button button-danger">
          {words("confirm", { position: ticket.position })}
        </button>
      </form>
    </details>
  );
}
