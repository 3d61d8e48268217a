import {
  accessTokenHash,
  enqueueEmail,
  enqueueOrderConfirmation,
  enqueueTicketEmail,
  type ConfirmationSnapshot,
  type TicketEmailSnapshot,
} from "@/lib/email/outbox";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isSoloOrder } from "./queries";

type OrderForEmails = { id: string; buyerEmail: string; locale: "fr" | "en"; accessToken: string };
type TicketForEmails = { id: string; email: string | null; accessToken: string | null; codeVersion: number };

/** One email a confirmed order sends, as the outbox stores it. */
export type ConfirmationEmail = {
  dedupeKey: string;
  kind: "order_confirmation" | "ticket_issued";
  orderId: string;
  toAddress: string;
  locale: "fr" | "en";
  payload: ConfirmationSnapshot | TicketEmailSnapshot;
};

/**
 * What a confirmed order sends: the order's confirmation to its buyer (summary, receipt, the order link,
 * every ticket), and to each attendee of a group other than the buyer their own ticket with a link to it
 * alone. Unnamed tickets wait for their names. `tickets` in position order.
 */
export function confirmationEmailsFor(order: OrderForEmails, tickets: TicketForEmails[]): ConfirmationEmail[] {
  const confirmation: ConfirmationEmail = {
    dedupeKey: `order-confirmation:${order.id}`,
    kind: "order_confirmation",
    orderId: order.id,
    toAddress: order.buyerEmail,
    locale: order.locale,
    payload: {
      codeVersions: Object.fromEntries(tickets.map((ticket) => [ticket.id, ticket.codeVersion])),
      tokenHash: accessTokenHash(order.accessToken),
    },
  };
  if (isSoloOrder({ tickets })) return [confirmation];
  const own = tickets.filter((ticket) => ticket.email !== null && ticket.email !== order.buyerEmail);
  return [
    confirmation,
    ...own.map((ticket): ConfirmationEmail => {
      if (!ticket.email || !ticket.accessToken) throw new Error("confirmationEmailsFor: a named ticket has no link");
      return {
        dedupeKey: `ticket-issued:${ticket.id}:${ticket.codeVersion}`,
        kind: "ticket_issued",
        orderId: order.id,
        toAddress: ticket.email,
        locale: order.locale,
        payload: {
          ticketId: ticket.id,
          codeVersion: ticket.codeVersion,
          tokenHash: accessTokenHash(ticket.accessToken),
        },
      };
    }),
  ];
}

/**
 * What a transfer order sends when placed, as the outbox stores it: the quote to its buyer (with the order's link)
 * and, for an organisation that named one, to its accounts email (with the payment link only: the quote, or a card
 * payment; never the order's management).
 */
export type TransferQuoteEmail = {
  dedupeKey: string;
  kind: "transfer_quote";
  orderId: string;
  toAddress: string;
  locale: "fr" | "en";
  payload: TransferQuotePayload;
};

/** Whom a transfer email speaks to: the buyer (whose link manages the order) or the accounts department. */
export type TransferQuotePayload = { audience: "buyer" | "accounts" };

export function transferQuoteEmailsFor(
  order: Pick<OrderForEmails, "id" | "buyerEmail" | "locale">,
  billing: { accountsEmail: string | null } | null,
): TransferQuoteEmail[] {
  const email = (toAddress: string, audience: TransferQuotePayload["audience"]): TransferQuoteEmail => ({
    dedupeKey: `transfer-quote:${order.id}:${audience}`,
    kind: "transfer_quote",
    orderId: order.id,
    toAddress,
    locale: order.locale,
    payload: { audience },
  });
  const accounts = billing?.accountsEmail;
  return [
    email(order.buyerEmail, "buyer"),
    ...(accounts && accounts !== order.buyerEmail ? [email(accounts, "accounts")] : []),
  ];
}

/** Queues what a confirmed order sends (see confirmationEmailsFor), in the transaction that confirms it. */
export async function enqueueConfirmationEmails(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      id: true,
      buyerEmail: true,
      locale: true,
      accessToken: true,
      tickets: {
        select: { id: true, email: true, accessToken: true, codeVersion: true },
        orderBy: { position: "asc" },
      },
    },
  });
  for (const email of confirmationEmailsFor(order, order.tickets)) await enqueueEmail(tx, email);
}

/**
 * A ticket's email again, to whoever holds it (a lost ticket, an organiser's resend): a group attendee
 * other than the buyer gets their own ticket, never the buyer's order link; anyone else the order's
 * confirmation (a solo order's holder, or the buyer, who holds the unnamed tickets). `request` names
 * this sending: tickets of one order sent again together give their buyer one email.
 */
export async function enqueueTicketAgain(
  tx: Prisma.TransactionClient,
  ticket: { id: string; orderId: string; email: string | null },
  request: string,
): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: ticket.orderId },
    select: { buyerEmail: true, tickets: { select: { email: true } } },
  });
  if (ticket.email !== null && ticket.email !== order.buyerEmail && !isSoloOrder(order)) {
    await enqueueTicketEmail(tx, ticket.id, { dedupeKey: `ticket-issued:${ticket.id}:${request}` });
    return;
  }
  const dedupeKey = `order-confirmation:${ticket.orderId}:${request}`;
  await enqueueOrderConfirmation(tx, ticket.orderId, { dedupeKey, toAddress: ticket.email ?? order.buyerEmail });
}
