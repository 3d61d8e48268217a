import type { Db } from "@/lib/db/prisma";
import { changedFields, recordAudit } from "@/lib/audit/record";
import { fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { getOrderByAccessToken, isSoloOrder } from "@/lib/orders/queries";
import { registrationRequestSchema } from "@/lib/orders/registration-request";
import { lockOrder } from "@/lib/orders/transitions";
import { consumeRateLimit } from "@/lib/rate-limit/consume";
import { changeTicketEmail } from "./change-email";
import { selfServiceRights } from "./self-service";
import { recordStanding } from "./standing";

type TicketWithEmail = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
};

export type NamingResult =
  | { ok: true }
  | { ok: false; reason: "not_found" | "not_allowed" | "already_registered" | "rate_limited" }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors };

const holderSchema = registrationRequestSchema.shape.attendee;

const auditView = (ticket: TicketWithEmail) => ({
  firstName: ticket.firstName,
  lastName: ticket.lastName,
  email: ticket.email,
  company: ticket.company,
});

/**
 * The buyer of a group names an unnamed ticket, or renames a named one, from their order page until the
 * edition's edit deadline. A new holder gets a reissued ticket and their own link (changeTicketEmail);
 * correcting the name of the same person (same email) keeps the code and link. One live seat per
 * attendee email holds, checked under the edition lock. A solo order has no one else to name: its
 * ticket moves by transfer.
 */
export async function nameTicket(
  db: Db,
  orderToken: string,
  input: { ticketId: string; attendee: unknown },
  now = new Date(),
): Promise<NamingResult> {
  const order = await getOrderByAccessToken(db, orderToken);
  if (!order || !order.tickets.some((ticket) => ticket.id === input.ticketId))
    return { ok: false, reason: "not_found" };
  if (isSoloOrder(order) || !selfServiceRights(order, now).canEdit) return { ok: false, reason: "not_allowed" };
  const parsed = holderSchema.safeParse(input.attendee);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error, ["attendee"]) };
  const to = parsed.data;
  // Each new holder is emailed: the buyer's link cannot be used to mail anyone at will.
  const limit = { limit: 3, windowSeconds: 24 * 3600, now };
  if (!(await consumeRateLimit(db, `name-ticket:${input.ticketId}`, limit)))
    return { ok: false, reason: "rate_limited" };
  return db.$transaction(async (tx): Promise<NamingResult> => {
    const locked = await lockOrder(tx, order.id, orderToken);
    if (!locked) return { ok: false, reason: "not_found" };
    if (!selfServiceRights({ ...order, status: locked.status }, now).canEdit)
      return { ok: false, reason: "not_allowed" };
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId } });
    if (recordStanding(ticket, locked) !== "valid") return { ok: false, reason: "not_allowed" };
    const change = await changeTicketEmail(tx, {
      ticket,
      order: locked,
      email: to.email,
      names: to,
      by: "attendee",
      now,
    });
    if (change === "already_registered") return { ok: false, reason: "already_registered" };
    if (change === "not_confirmed") return { ok: false, reason: "not_allowed" };
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: to });
    const diff = changedFields(auditView(ticket), auditView(updated));
    if (Object.keys(diff.after).length > 0) {
      const entry = { editionId: ticket.editionId, action: "attendee.edited", subjectId: ticket.id };
      // The actor is whoever holds the buyer's link, known by the buyer's address.
      await recordAudit(
        tx,
        { id: null, email: locked.buyerEmail },
        { ...entry, subjectType: "ticket" as const, ...diff },
      );
    }
    return { ok: true };
  });
}
