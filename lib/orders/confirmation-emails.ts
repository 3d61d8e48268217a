import { enqueueOrderConfirmation, enqueueTicketEmail } from "@/lib/email/outbox";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isSoloOrder } from "./queries";

/**
 * What a confirmed order sends, in the transaction that confirms it: the order's confirmation to its
 * buyer (summary, receipt, the order link, every ticket), and to each attendee of a group other than the
 * buyer their own ticket with a link to it alone. Unnamed tickets wait for their names.
 */
export async function enqueueConfirmationEmails(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  await enqueueOrderConfirmation(tx, orderId);
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { buyerEmail: true, tickets: { select: { id: true, email: true }, orderBy: { position: "asc" } } },
  });
  if (isSoloOrder(order)) return;
  for (const ticket of order.tickets) {
    if (ticket.email !== null && ticket.email !== order.buyerEmail) await enqueueTicketEmail(tx, ticket.id);
  }
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
