import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { enqueueTicketAgain } from "@/lib/orders/confirmation-emails";
import { holderName } from "@/lib/orders/holder";
import { getOrderByAccessToken } from "@/lib/orders/queries";
import { lockOrder } from "@/lib/orders/transitions";
import { consumeRateLimit } from "@/lib/rate-limit/consume";
import { recordStanding } from "./standing";

/** How often the buyer may send one ticket again: each resend emails its attendee. */
export const TICKET_RESEND_MINUTES = 5;

export type TicketResendRefusal = "not_found" | "not_allowed" | "rate_limited";

export type TicketResendResult =
  | { ok: true; sentTo: string }
  | { ok: false; reason: Exclude<TicketResendRefusal, "rate_limited"> }
  | { ok: false; reason: "rate_limited"; minutes: number };

/**
 * "Resend this ticket" on the buyer's order page: the ticket's email again to its attendee, the same
 * email an organiser's resend sends (enqueueTicketAgain). Only a named ticket that still admits: an
 * unnamed one has nobody to go to, a cancelled one nothing to send. Once per ticket every few minutes,
 * so the buyer's link cannot be used to flood an attendee's mailbox.
 */
export async function resendTicketFromOrder(
  db: Db,
  orderToken: string,
  ticketId: string,
  now = new Date(),
): Promise<TicketResendResult> {
  const order = await getOrderByAccessToken(db, orderToken);
  const ticket = order?.tickets.find((candidate) => candidate.id === ticketId);
  if (!order || !ticket) return { ok: false, reason: "not_found" };
  if (holderName(ticket) === null || recordStanding(ticket, order) !== "valid") {
    return { ok: false, reason: "not_allowed" };
  }
  const window = { limit: 1, windowSeconds: TICKET_RESEND_MINUTES * 60, now };
  if (!(await consumeRateLimit(db, `ticket-resend:${ticketId}`, window))) {
    return { ok: false, reason: "rate_limited", minutes: TICKET_RESEND_MINUTES };
  }
  return db.$transaction(async (tx): Promise<TicketResendResult> => {
    // Under the order's lock with its link: a rename or cancellation that just committed is seen.
    const locked = await lockOrder(tx, order.id, orderToken);
    if (!locked) return { ok: false, reason: "not_found" };
    const current = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    if (current.email === null || recordStanding(current, locked) !== "valid") {
      return { ok: false, reason: "not_allowed" };
    }
    await enqueueTicketAgain(tx, current, `buyer-resend:${randomUUID()}`);
    return { ok: true, sentTo: current.email };
  });
}
