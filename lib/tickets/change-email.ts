import { emailHoldsAnotherSeat } from "@/lib/capacity/seats";
import { enqueueEmail, enqueueOrderConfirmation, enqueueTicketEmail } from "@/lib/email/outbox";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newAccessToken } from "@/lib/orders/codes";
import type { Holder } from "@/lib/orders/holder";
import { isSoloOrder } from "@/lib/orders/queries";
import { recordStanding } from "./standing";

export type EmailChange = "unchanged" | "changed" | "already_registered" | "not_confirmed";

type TicketHeld = {
  id: string;
  orderId: string;
  editionId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  status: string;
};
type OrderHeld = { id: string; status: string; buyerEmail: string };

/**
 * Gives a ticket of a group to a new holder, in the caller's transaction (which holds the order's row
 * lock and checked one seat per email): a new code (every code shown before stops admitting, an unnamed
 * ticket's printed QR included) and a new private link to this ticket, emailed to the new holder with
 * their ticket. The buyer's order link is not theirs to have, and does not change.
 */
export async function reissueTicket(
  tx: Prisma.TransactionClient,
  ticket: { id: string },
  to: Holder & { company?: string | null },
) {
  const updated = await tx.ticket.update({
    where: { id: ticket.id },
    data: { ...to, accessToken: newAccessToken(), codeVersion: { increment: 1 } },
  });
  await enqueueTicketEmail(tx, ticket.id);
  return updated;
}

/**
 * Moves a confirmed ticket to a corrected email address, in the caller's transaction, which must
 * hold the order's row lock and have read `ticket` under it. One seat per email still holds.
 * `names` name the holder of a ticket that had none (the ticket is named in the same stroke).
 *
 * The ticket's code and its private link are reissued, as on a transfer: whatever went to the old
 * address (perhaps a stranger's, mistyped) stops working, and a confirmation queued for it but not
 * sent yet is superseded. The new address gets the ticket and the new link; the old one is told,
 * without being shown the new address. A solo order's link is its ticket's, so it is the one replaced;
 * a ticket of a group has its own link (reissueTicket), and the buyer keeps theirs.
 */
export async function changeTicketEmail(
  tx: Prisma.TransactionClient,
  change: {
    ticket: TicketHeld;
    order: OrderHeld;
    email: string;
    names?: { firstName: string; lastName: string };
    by: "organiser" | "attendee";
    now?: Date;
  },
): Promise<EmailChange> {
  const { ticket, order, email } = change;
  if (email === ticket.email) return "unchanged";
  if (recordStanding(ticket, order) !== "valid") return "not_confirmed";
  const check = { editionId: ticket.editionId, ticketId: ticket.id, email, now: change.now };
  if (await emailHoldsAnotherSeat(tx, check)) return "already_registered";
  const solo = isSoloOrder({
    tickets: await tx.ticket.findMany({ where: { orderId: order.id }, select: { email: true } }),
  });
  let codeVersion: number;
  if (solo) {
    const updated = await tx.ticket.update({
      where: { id: ticket.id },
      data: { email, codeVersion: { increment: 1 } },
      select: { codeVersion: true },
    });
    codeVersion = updated.codeVersion;
    // The buyer is told about the order (refunds go to the holder anyway): follow them when they hold it.
    const buyerEmail = order.buyerEmail === ticket.email ? email : order.buyerEmail;
    await tx.order.update({ where: { id: order.id }, data: { accessToken: newAccessToken(), buyerEmail } });
    const dedupeKey = `email-changed-to:${ticket.id}:${codeVersion}`;
    await enqueueOrderConfirmation(tx, order.id, { dedupeKey, toAddress: email });
  } else {
    const firstName = change.names?.firstName ?? ticket.firstName;
    const lastName = change.names?.lastName ?? ticket.lastName;
    if (firstName === null || lastName === null) throw new Error("changeTicketEmail: an unnamed ticket needs names");
    codeVersion = (await reissueTicket(tx, ticket, { firstName, lastName, email })).codeVersion;
  }
  if (ticket.email) {
    const saved = await tx.order.findUniqueOrThrow({ where: { id: order.id }, select: { locale: true } });
    await enqueueEmail(tx, {
      dedupeKey: `email-changed-from:${ticket.id}:${codeVersion}`,
      kind: "ticket_email_changed",
      orderId: order.id,
      toAddress: ticket.email,
      locale: saved.locale,
      payload: { by: change.by },
    });
  }
  return "changed";
}
