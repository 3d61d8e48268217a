import { emailHoldsAnotherSeat } from "@/lib/capacity/seats";
import { enqueueEmail, enqueueOrderConfirmation } from "@/lib/email/outbox";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newAccessToken } from "@/lib/orders/codes";
import { recordStanding } from "./standing";

export type EmailChange = "unchanged" | "changed" | "already_registered" | "not_confirmed";

type TicketHeld = { id: string; orderId: string; editionId: string; email: string; status: string };
type OrderHeld = { id: string; status: string; buyerEmail: string };

/**
 * Moves a confirmed ticket to a corrected email address, in the caller's transaction, which must
 * hold the order's row lock and have read `ticket` under it. One seat per email still holds.
 *
 * The ticket's code and the order's private link are reissued, as on a transfer: whatever went to
 * the old address (perhaps a stranger's, mistyped) stops working, and a confirmation queued for it
 * but not sent yet is superseded. The new address gets the ticket and the new link; the old one is
 * told, without being shown the new address.
 */
export async function changeTicketEmail(
  tx: Prisma.TransactionClient,
  change: { ticket: TicketHeld; order: OrderHeld; email: string; by: "organiser" | "attendee"; now?: Date },
): Promise<EmailChange> {
  const { ticket, order, email } = change;
  if (email === ticket.email) return "unchanged";
  if (recordStanding(ticket, order) !== "valid") return "not_confirmed";
  const check = { editionId: ticket.editionId, ticketId: ticket.id, email, now: change.now };
  if (await emailHoldsAnotherSeat(tx, check)) return "already_registered";
  const updated = await tx.ticket.update({
    where: { id: ticket.id },
    data: { email, codeVersion: { increment: 1 } },
    select: { codeVersion: true },
  });
  // The buyer is told about the order (refunds go to the holder anyway): follow them when they hold it.
  const buyerEmail = order.buyerEmail === ticket.email ? email : order.buyerEmail;
  const saved = await tx.order.update({
    where: { id: order.id },
    data: { accessToken: newAccessToken(), buyerEmail },
    select: { locale: true },
  });
  const version = `${ticket.id}:${updated.codeVersion}`;
  await enqueueOrderConfirmation(tx, order.id, { dedupeKey: `email-changed-to:${version}`, toAddress: email });
  await enqueueEmail(tx, {
    dedupeKey: `email-changed-from:${version}`,
    kind: "ticket_email_changed",
    orderId: order.id,
    toAddress: ticket.email,
    locale: saved.locale,
    payload: { by: change.by },
  });
  return "changed";
}
