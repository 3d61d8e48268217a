import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { NameTicketForm } from "@/components/manage-forms";
import { TicketQr } from "@/components/ticket-qr";
import { formatDateTime, localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { buyerLabel, holderName } from "@/lib/orders/holder";
import { effectiveOrderStatus, type getOrderByAccessToken } from "@/lib/orders/queries";
import { isErased } from "@/lib/privacy/erased";
import { selfServiceRights } from "@/lib/tickets/self-service";
import { recordStanding } from "@/lib/tickets/standing";
import { nameAttendee } from "./actions";
import { appNow } from "@/lib/time/clock";

type Order = NonNullable<Awaited<ReturnType<typeof getOrderByAccessToken>>>;
type Ticket = Order["tickets"][number];

/**
 * A group's tickets on its buyer's page, each with its state: named or not, checked in, cancelled.
 * Until the edit deadline the buyer names an unnamed ticket or gives a named one to someone else.
 * An unnamed live ticket shows its QR code: it admits under the buyer's name until it is named.
 * `actionsFor` adds a ticket's own controls to its row (cancelling one ticket, say).
 */
export async function OrderTickets({
  order,
  token,
  locale,
  actionsFor,
}: {
  order: Order;
  token: string;
  locale: Locale;
  actionsFor?: (ticket: Ticket) => ReactNode;
}) {
  const t = await getTranslations("groupTicket");
  const erased = await getTranslations("dataRights.erased");
  const { edition } = order;
  const canName = selfServiceRights(order, appNow()).canEdit;
  // Held while its payment is on its way (a bank transfer takes days): not cancelled, not valid yet either.
  const awaitingPayment = effectiveOrderStatus(order, appNow()) === "PENDING";
  const deadline = formatDateTime(edition.editDeadline ?? edition.startsAt, edition.timeZone, locale);
  return (
    <section aria-labelledby="tickets-title" data-testid="order-tickets">
      <h2 id="tickets-title">{t("ticketsTitle")}</h2>
      <ol className="order-tickets">
        {order.tickets.map((ticket) => {
          const name = holderName(ticket);
          const gone = isErased(ticket);
          const valid = recordStanding(ticket, order) === "valid";
          const live = ticket.status === "ACTIVE";
          const state = !valid
            ? awaitingPayment && live
              ? "unpaid"
              : "cancelled"
            : ticket.checkedInAt
              ? "checkedIn"
              : name === null
                ? "unnamed"
                : "named";
          return (
            <li key={ticket.id} data-testid={`order-ticket-${ticket.position}`} data-state={state}>
              <h3>{t("ticketHeading", { position: ticket.position, count: order.tickets.length })}</h3>
              <p>
                {gone ? erased("holder") : name === null ? t("state.unnamed") : name}
                {ticket.email && !gone && (
                  <>
                    <br />
                    {ticket.email}
                  </>
                )}
                <br />
                {localized(ticket.ticketType, "name", locale)} · <strong>{t(`state.${state}`)}</strong>
              </p>
              {valid && name === null && (
                <>
                  <TicketQr ticket={ticket} holder={buyerLabel(order)} />
                  <p className="muted">{t("unnamedQrHint")}</p>
                </>
              )}
              {valid && canName && (
                <details open={name === null}>
                  <summary>{t(name === null ? "nameTitle" : "renameTitle")}</summary>
                  <p className="muted">{t(name === null ? "nameHint" : "renameHint", { date: deadline })}</p>
                  <NameTicketForm
                    action={nameAttendee.bind(null, token, locale, ticket.id)}
                    idPrefix={`ticket-${ticket.position}`}
                  />
                </details>
              )}
              {actionsFor?.(ticket)}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
