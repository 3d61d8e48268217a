import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { changedFields, recordAudit } from "@/lib/audit/record";
import { emailHoldsAnotherSeat } from "@/lib/capacity/seats";
import { enqueueCancellationEmail, enqueueEmail } from "@/lib/email/outbox";
import { newAccessToken } from "@/lib/orders/codes";
import type { Prisma } from "@/lib/generated/prisma/client";
import { holderName } from "@/lib/orders/holder";
import { getOrderByAccessToken, getOrderOfTicket, getTicketByAccessToken, isSoloOrder } from "@/lib/orders/queries";
import { fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { parseAttendeeDetails, registrationRequestSchema } from "@/lib/orders/registration-request";
import { cancelOrder, lockOrder } from "@/lib/orders/transitions";
import {
  cancelOneTicket,
  REFUND_TO_RETRY,
  refundOrder,
  retryRefund,
  type TicketCancelOutcome,
} from "@/lib/payments/refunds";
import { consumeClientRateLimit, consumeRateLimit } from "@/lib/rate-limit/consume";
import { changeTicketEmail, reissueTicket } from "./change-email";
import { recordStanding } from "./standing";

type OrderForRights = {
  status: string;
  amountCents: number;
  paymentIntentId: string | null;
  edition: { startsAt: Date; editDeadline: Date | null; refundDeadline: Date | null };
};

export type SelfServiceRights = {
  canEdit: boolean;
  canTransfer: boolean;
  canCancelFree: boolean;
  canCancelForRefund: boolean;
};

/** What an attendee may still do with their confirmed order at `now`. */
export function selfServiceRights(order: OrderForRights, now: Date): SelfServiceRights {
  const confirmed = order.status === "CONFIRMED";
  const beforeEditDeadline = now < (order.edition.editDeadline ?? order.edition.startsAt);
  return {
    canEdit: confirmed && beforeEditDeadline,
    canTransfer: confirmed && beforeEditDeadline,
    canCancelFree: confirmed && order.amountCents === 0 && now < order.edition.startsAt,
    canCancelForRefund:
      confirmed &&
      order.amountCents > 0 &&
      order.paymentIntentId !== null &&
      order.edition.refundDeadline !== null &&
      now < order.edition.refundDeadline,
  };
}

type TicketForRights = { status: string; priceCents: number };

/**
 * Whether the buyer may cancel this one ticket of their order at `now`: a paid ticket within the
 * refund window (its price goes back to the buyer's card), a free one until the edition starts.
 */
export function ticketCancelRight(order: OrderForRights, ticket: TicketForRights, now: Date): "free" | "refund" | null {
  if (order.status !== "CONFIRMED" || ticket.status !== "ACTIVE") return null;
  if (ticket.priceCents === 0) return now < order.edition.startsAt ? "free" : null;
  const { refundDeadline } = order.edition;
  return order.paymentIntentId !== null && refundDeadline !== null && now < refundDeadline ? "refund" : null;
}

export type SelfServiceRefusal =
  | { ok: false; reason: "not_found" | "not_allowed" | "already_registered" | "rate_limited" }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors };

// Every change below re-checks the private link under the order's row lock (lockOrder with the
// token): a request that raced a transfer, which replaces the link, is refused rather than acting
// on the new holder's ticket.

type LinkedOrder = NonNullable<Awaited<ReturnType<typeof getOrderByAccessToken>>>;

/**
 * The ticket a private link acts on: a solo order's ticket through the order's link (as before group
 * orders), or one attendee's own ticket of a group through its ticket link. A group's order link is the
 * buyer's: it names and renames tickets (lib/tickets/naming.ts), and does not act as one attendee.
 */
type LinkTarget = { order: LinkedOrder; ticketId: string; via: "order" | "ticket" };

async function ticketBehindLink(db: Db, accessToken: string): Promise<LinkTarget | "group" | null> {
  const order = await getOrderByAccessToken(db, accessToken);
  if (order) return isSoloOrder(order) ? { order, ticketId: order.tickets[0].id, via: "order" } : "group";
  const ticket = await getTicketByAccessToken(db, accessToken);
  if (!ticket) return null;
  const ofTicket = await getOrderOfTicket(db, ticket.id);
  return ofTicket && { order: ofTicket, ticketId: ticket.id, via: "ticket" };
}

/** Locks the order and re-reads the ticket under the lock, provided the link still opens it. */
async function lockTicketBehindLink(tx: Prisma.TransactionClient, target: LinkTarget, accessToken: string) {
  const locked = await lockOrder(tx, target.order.id, target.via === "order" ? accessToken : undefined);
  if (!locked) return null;
  const mine = target.via === "ticket" ? { accessToken } : {};
  const ticket = await tx.ticket.findFirst({ where: { id: target.ticketId, ...mine } });
  return ticket ? { locked, ticket } : null;
}

const linkRefusal = (target: "group" | null) =>
  target === "group" ? ({ ok: false, reason: "not_allowed" } as const) : ({ ok: false, reason: "not_found" } as const);

const HOUR = 3600;

// Each change of address sends two emails: a private link cannot be used to mail anyone at will.
async function withinEmailChangeLimits(db: Db, orderId: string, clientKey: string | null, now: Date) {
  return (
    (await consumeRateLimit(db, `email-change:order:${orderId}`, { limit: 3, windowSeconds: 24 * HOUR, now })) &&
    (await consumeClientRateLimit(db, "email-change", clientKey, { limit: 10, windowSeconds: HOUR, now }))
  );
}

type EditableDetails = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  answers: unknown;
};

const detailsView = (ticket: EditableDetails) => ({
  firstName: ticket.firstName,
  lastName: ticket.lastName,
  email: ticket.email,
  company: ticket.company,
  answers: ticket.answers,
});

/**
 * Changes the attendee's name, email, company and answers, until the edition's edit deadline. A new
 * email reissues the ticket and the private link to it (changeTicketEmail): this page's link stops
 * working, which `emailChangedTo` tells the caller.
 */
export async function editAttendeeDetails(
  db: Db,
  accessToken: string,
  input: { attendee: unknown; answers: Record<string, unknown>; clientKey?: string | null },
  now = new Date(),
) {
  const target = await ticketBehindLink(db, accessToken);
  if (target === null || target === "group") return linkRefusal(target);
  const { order } = target;
  if (!selfServiceRights(order, now).canEdit) return { ok: false, reason: "not_allowed" } as const;
  const parsed = parseAttendeeDetails(order.edition.questions, input);
  if (!parsed.ok) return parsed;
  const current = order.tickets.find((ticket) => ticket.id === target.ticketId);
  const newEmail = parsed.email !== undefined && parsed.email !== current?.email;
  if (newEmail && !(await withinEmailChangeLimits(db, order.id, input.clientKey ?? null, now))) {
    return { ok: false, reason: "rate_limited" } as const;
  }
  return db.$transaction(async (tx) => {
    const held = await lockTicketBehindLink(tx, target, accessToken);
    if (!held) return { ok: false, reason: "not_found" } as const;
    const { locked, ticket } = held;
    const rights = selfServiceRights({ ...order, status: locked.status }, now);
    // The order may stand while this one ticket of it was cancelled.
    if (!rights.canEdit || recordStanding(ticket, locked) !== "valid")
      return { ok: false, reason: "not_allowed" } as const;
    // A link opens a named ticket only: an unnamed one has no link of its own, and a solo order's is named.
    const email = parsed.email ?? ticket.email!;
    const change = await changeTicketEmail(tx, { ticket, order: locked, email, by: "attendee", now });
    if (change === "already_registered") return { ok: false, reason: "already_registered" } as const;
    if (change === "not_confirmed") return { ok: false, reason: "not_allowed" } as const;
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: parsed.data });
    const diff = changedFields(detailsView(ticket), detailsView(updated));
    if (Object.keys(diff.after).length > 0) {
      const entry = { editionId: order.editionId, action: "attendee.edited", subjectId: ticket.id };
      // The actor is whoever holds the private link, known by the address the ticket had.
      await recordAudit(tx, { id: null, email: ticket.email! }, { ...entry, subjectType: "ticket" as const, ...diff });
    }
    return { ok: true, emailChangedTo: change === "changed" ? email : undefined } as const;
  });
}

/** Cancels a free registration: the seat goes back on sale at once. */
export async function cancelFreeRegistration(db: Db, accessToken: string, now = new Date()) {
  const order = await getOrderByAccessToken(db, accessToken);
  if (!order) return { ok: false, reason: "not_found" } as const;
  return db.$transaction(async (tx) => {
    const locked = await lockOrder(tx, order.id, accessToken);
    if (!locked) return { ok: false, reason: "not_found" } as const;
    const rights = selfServiceRights({ ...order, status: locked.status }, now);
    if (!rights.canCancelFree) return { ok: false, reason: "not_allowed" } as const;
    await cancelOrder(tx, locked, "CANCELLED", { reason: "attendee_cancelled", now });
    await enqueueCancellationEmail(tx, order.id, "attendee_cancelled");
    return { ok: true } as const;
  });
}

/** Cancels a paid registration within the edition's refund policy, refunding it in full. */
export async function cancelForRefund(db: Db, stripe: Stripe, accessToken: string, now = new Date()) {
  const order = await getOrderByAccessToken(db, accessToken);
  if (!order) return { ok: false, reason: "not_found" } as const;
  if (!selfServiceRights(order, now).canCancelForRefund) return { ok: false, reason: "not_allowed" } as const;
  const outcome = await refundOrder(db, stripe, order.id, { reason: "attendee_cancelled", now, accessToken });
  if (outcome === "unknown_order") return { ok: false, reason: "not_found" } as const;
  return outcome === "refunded" || outcome === "already_refunded"
    ? ({ ok: true } as const)
    : ({ ok: false, reason: "not_allowed" } as const);
}

/**
 * The buyer cancels one ticket of their order, from the order's private link: refunded if paid, and
 * the rest of the order stays as it is. The right is checked again under the order's lock.
 */
export async function cancelOwnTicket(db: Db, stripe: Stripe, accessToken: string, ticketId: string, now = new Date()) {
  const order = await getOrderByAccessToken(db, accessToken);
  if (!order) return { ok: false, reason: "not_found" } as const;
  const outcome = await cancelOneTicket(
    db,
    stripe,
    { orderId: order.id, ticketId },
    {
      refund: true,
      reason: "buyer_cancelled_ticket",
      now,
      accessToken,
      allowed: (locked, ticket) =>
        ticketCancelRight({ ...order, status: locked.status }, { status: "ACTIVE", ...ticket }, now) !== null,
    },
  );
  return ticketCancelResult(outcome);
}

/**
 * An attendee of a group cancels their own ticket from its own link, when the edition lets attendees do
 * so: the same cancellation as the buyer's (its price back to the buyer's card, who is told by email),
 * with the same window. The window and the link are checked again under the order's lock.
 */
export async function cancelTicketAsAttendee(db: Db, stripe: Stripe, ticketToken: string, now = new Date()) {
  const ticket = await getTicketByAccessToken(db, ticketToken);
  if (!ticket) return { ok: false, reason: "not_found" } as const;
  const order = ticket.order;
  if (!order.edition.attendeesMayCancel) return { ok: false, reason: "not_allowed" } as const;
  const outcome = await cancelOneTicket(
    db,
    stripe,
    { orderId: order.id, ticketId: ticket.id },
    {
      refund: true,
      reason: "attendee_cancelled_ticket",
      now,
      ticketAccessToken: ticketToken,
      allowed: (locked, current) =>
        ticketCancelRight({ ...order, status: locked.status }, { status: "ACTIVE", ...current }, now) !== null,
    },
  );
  return ticketCancelResult(outcome);
}

function ticketCancelResult(outcome: TicketCancelOutcome) {
  switch (outcome) {
    case "refunded":
    case "cancelled":
      return { ok: true, outcome } as const;
    case "already_refunded":
    case "already_cancelled":
      return { ok: false, reason: outcome } as const;
    case "unknown_order":
    case "unknown_ticket":
      return { ok: false, reason: "not_found" } as const;
    default:
      return { ok: false, reason: "not_allowed" } as const;
  }
}

/**
 * The attendee's own "retry the refund", when Stripe has not accepted it: the back office sees
 * the same refund and can retry it too.
 */
export async function retryOwnRefund(db: Db, stripe: Stripe, accessToken: string) {
  const order = await getOrderByAccessToken(db, accessToken);
  const where = { orderId: order?.id, ...REFUND_TO_RETRY };
  const refund = order ? await db.refund.findFirst({ where, select: { id: true, status: true } }) : null;
  if (!refund || refund.status === "REQUIRES_ACTION") return { ok: false, reason: "not_allowed" } as const;
  const sent = (await retryRefund(db, stripe, "refund", refund.id)) === "sent";
  return sent ? ({ ok: true } as const) : ({ ok: false, reason: "refund_failed" } as const);
}

const transfereeSchema = registrationRequestSchema.shape.attendee;

/**
 * Hands the ticket to someone else: new holder, new code (the old one is revoked), and a new
 * private link (the old one stops working). Both people get an email. The answers stay with the
 * ticket (required ones included) for the new holder to review through their own link: wiping
 * them would leave the ticket without answers the organisers asked for.
 */
export async function transferTicket(db: Db, accessToken: string, input: unknown, now = new Date()) {
  const target = await ticketBehindLink(db, accessToken);
  if (target === null || target === "group") return linkRefusal(target);
  const { order } = target;
  const transferee = transfereeSchema.safeParse(input);
  if (!transferee.success)
    return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(transferee.error, ["attendee"]) } as const;
  const to = transferee.data;
  return db.$transaction(async (tx) => {
    // Read under the lock: an edit that committed just before names the holder this transfer is from.
    const held = await lockTicketBehindLink(tx, target, accessToken);
    if (!held) return { ok: false, reason: "not_found" } as const;
    const { locked, ticket } = held;
    const rights = selfServiceRights({ ...order, status: locked.status }, now);
    if (!rights.canTransfer || recordStanding(ticket, locked) !== "valid") {
      return { ok: false, reason: "not_allowed" } as const;
    }
    // Edition-wide "one seat per email" holds for transfers too.
    const check = { editionId: order.editionId, ticketId: ticket.id, email: to.email, now };
    if (await emailHoldsAnotherSeat(tx, check)) return { ok: false, reason: "already_registered" } as const;
    const transferred = { firstName: to.firstName, lastName: to.lastName, email: to.email, company: to.company };
    // A group's ticket goes with a link to it alone; a solo order's link is the ticket's, so it moves instead.
    const updated =
      target.via === "ticket"
        ? await reissueTicket(tx, ticket, transferred)
        : await tx.ticket.update({ where: { id: ticket.id }, data: { ...transferred, codeVersion: { increment: 1 } } });
    if (target.via === "order") {
      await tx.order.update({ where: { id: order.id }, data: { accessToken: newAccessToken() } });
    }
    const payload = {
      ticketId: ticket.id,
      codeVersion: updated.codeVersion,
      from: holderName(ticket) ?? "",
      to: `${to.firstName} ${to.lastName}`,
      toEmail: to.email,
    };
    if (target.via === "order") {
      await enqueueEmail(tx, {
        dedupeKey: `transfer-received:${ticket.id}:${updated.codeVersion}`,
        kind: "ticket_transfer_received",
        orderId: order.id,
        toAddress: to.email,
        locale: order.locale,
        payload,
      });
    }
    await enqueueEmail(tx, {
      dedupeKey: `transfer-sent:${ticket.id}:${updated.codeVersion}`,
      kind: "ticket_transfer_sent",
      orderId: order.id,
      toAddress: ticket.email!,
      locale: order.locale,
      payload,
    });
    return { ok: true, transferredTo: to.email } as const;
  });
}
