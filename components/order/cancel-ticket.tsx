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
  };
  ticket: { id: string; position: number; status: string; priceCents: number };
  /** The server action that cancels this ticket, bound to the order's link. */
  action: () => Promise<void>;
  locale: Locale;
  refusal?: string;
};

/**
 * One ticket of a group, on the buyer's order page: "cancel this ticket" behind a confirmation step
 * while the buyer may, or what became of it once cancelled (with the amount refunded).
 */
export async function CancelTicket({ order, ticket, action, locale, refusal }: Props) {
  const t = await getTranslations("ticketRefund.page");
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
  return (
    <details className="cancel-ticket" open={refusal !== undefined}>
      <summary>{t("open")}</summary>
      {refusal && t.has(`refusal.${refusal}`) && <p className="notice">{t(`refusal.${refusal}`)}</p>}
      <p className="muted">
        {right === "refund"
          ? t("paidHint", {
              amount: formatMoney(ticket.priceCents, order.currency, locale),
              date: formatDateTime(edition.refundDeadline!, edition.timeZone, locale),
            })
          : t("freeHint")}
      </p>
      <form action={action}>
        <button type="submit" className="button button-danger">
          {t("confirm", { position: ticket.position })}
        </button>
      </form>
    </details>
  );
}
