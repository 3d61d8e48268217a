import { holdRunning } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import type { OrderStatus, Prisma } from "@/lib/generated/prisma/client";
import { looksLikeAccessToken } from "./codes";

const orderPageInclude = {
  edition: { include: { questions: { orderBy: { position: "asc" } } } },
  tickets: { include: { ticketType: true, voucher: { select: { code: true } } }, orderBy: { position: "asc" } },
  refunds: {
    select: {
      id: true,
      ticketId: true,
      amountCents: true,
      currency: true,
      status: true,
      stripeRefundId: true,
      method: true,
    },
    orderBy: { createdAt: "asc" },
  },
} satisfies Prisma.OrderInclude;

/** The order behind an attendee's private link; the token is the only way in. */
export async function getOrderByAccessToken(db: Db, accessToken: string) {
  if (!looksLikeAccessToken(accessToken)) return null;
  return db.order.findUnique({ where: { accessToken }, include: orderPageInclude });
}

/**
 * A transfer order behind its payment link (see payPath): what whoever pays needs, and nothing else of the order
 * (not its tickets' holders, not its own link).
 */
export async function getOrderByPayToken(db: Db, payToken: string) {
  if (!looksLikeAccessToken(payToken)) return null;
  return db.order.findUnique({
    where: { payToken },
    select: {
      id: true,
      reference: true,
      status: true,
      paymentMethod: true,
      amountCents: true,
      currency: true,
      holdExpiresAt: true,
      billing: { select: { organisation: true } },
      edition: true,
    },
  });
}

/** The order a ticket belongs to, as its order page reads it; for a caller that already holds the ticket's link. */
export function getOrderOfTicket(db: Db, ticketId: string) {
  return db.order.findFirst({ where: { tickets: { some: { id: ticketId } } }, include: orderPageInclude });
}

/**
 * One attendee's own ticket of a group, behind their private ticket link: the ticket and what they may
 * see of its order (its edition and status), never the other tickets, the buyer's link or the payment.
 */
export async function getTicketByAccessToken(db: Db, accessToken: string) {
  if (!looksLikeAccessToken(accessToken)) return null;
  return db.ticket.findUnique({
    where: { accessToken },
    include: {
      ticketType: true,
      refund: { select: { ticketId: true, amountCents: true, currency: true } },
      order: {
        select: {
          id: true,
          reference: true,
          status: true,
          currency: true,
          holdExpiresAt: true,
          locale: true,
          amountCents: true,
          paymentIntentId: true,
          edition: { include: { questions: { orderBy: { position: "asc" } } } },
        },
      },
    },
  });
}

/**
 * A solo order is one named ticket, as every order was before group orders (after a transfer its holder
 * is no longer who bought it): its order link is also its ticket's, and the ticket's actions stay on the
 * order page. Any other order is a group, whose buyer names and renames its tickets from the order page
 * and whose attendees act through their own ticket links.
 */
export function isSoloOrder(order: { tickets: { email: string | null }[] }): boolean {
  return order.tickets.length === 1 && order.tickets[0].email !== null;
}

/** A pending order whose hold has run out is expired, whether or not a cleanup has marked it yet. */
export function effectiveOrderStatus(
  order: { status: OrderStatus; holdExpiresAt: Date | null },
  now: Date,
): OrderStatus {
  if (order.status === "PENDING" && order.holdExpiresAt && !holdRunning(order.holdExpiresAt, now)) return "EXPIRED";
  return order.status;
}
