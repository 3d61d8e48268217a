import type Stripe from "stripe";
import { changedFields, recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { enqueueCancellationEmail } from "@/lib/email/outbox";
import { enqueueTicketAgain } from "@/lib/orders/confirmation-emails";
import { checkOrderTickets, placeOrder, soldOutByCode, type SoldOut } from "@/lib/orders/register";
import { fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import {
  parseAttendeeDetails,
  parseOrderRequest,
  registrationRequestSchema,
  ticketFieldPrefix,
} from "@/lib/orders/registration-request";
import { cancelOrder, lockOrder } from "@/lib/orders/transitions";
import { changeTicketEmail } from "@/lib/tickets/change-email";
import { recordStanding } from "@/lib/tickets/standing";
import {
  cancelOneTicket,
  decideFullRefund,
  refundedCents,
  refundMethodOf,
  refundOrder,
  settlePendingRefunds,
} from "@/lib/payments/refunds";

export type AttendeeChange =
  | { ok: true; ticketId: string; emailChangedTo?: string }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | {
      ok: false;
      reason:
        | "not_found"
        | "not_confirmed"
        | "not_refundable"
        | "sold_out"
        | "already_registered"
        | "edition_closed"
        | "unknown_ticket_type";
    };

function findTicket(db: Db, editionId: string, ticketId: string) {
  return db.ticket.findFirst({
    where: { id: ticketId, editionId },
    include: { order: true, edition: { include: { questions: true } } },
  });
}

type EditableDetails = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  answers: unknown;
};

const auditView = (ticket: EditableDetails) => ({
  firstName: ticket.firstName,
  lastName: ticket.lastName,
  email: ticket.email,
  company: ticket.company,
  answers: ticket.answers,
});

/**
 * An organiser corrects an attendee's name, email, company or answers, whatever the edit deadline.
 * A new email reissues the ticket and its private link to it (changeTicketEmail), on a confirmed
 * registration only.
 */
export async function editAttendee(
  db: Db,
  actor: AuditActor,
  editionId: string,
  ticketId: string,
  input: { attendee: unknown; answers: Record<string, unknown> },
  now = new Date(),
): Promise<AttendeeChange> {
  const found = await findTicket(db, editionId, ticketId);
  if (!found) return { ok: false, reason: "not_found" };
  const parsed = parseAttendeeDetails(found.edition.questions, input);
  if (!parsed.ok) return parsed;
  return db.$transaction(async (tx): Promise<AttendeeChange> => {
    const order = await lockOrder(tx, found.orderId);
    if (!order) return { ok: false, reason: "not_found" };
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    const email = parsed.email ?? ticket.email;
    if (!email) {
      // Naming an unnamed ticket gives it a holder, and a holder has an email: the whole attendee is asked for.
      const whole = registrationRequestSchema.shape.attendee.safeParse(input.attendee);
      return {
        ok: false,
        reason: "invalid",
        fieldErrors: whole.success ? {} : fieldErrorsOf(whole.error, ["attendee"]),
      };
    }
    const names = { firstName: parsed.data.firstName, lastName: parsed.data.lastName };
    const change = await changeTicketEmail(tx, { ticket, order, email, names, by: "organiser", now });
    if (change === "already_registered" || change === "not_confirmed") return { ok: false, reason: change };
    const updated = await tx.ticket.update({ where: { id: ticketId }, data: parsed.data });
    const diff = changedFields(auditView(ticket), auditView(updated));
    if (Object.keys(diff.after).length > 0) {
      const entry = { editionId, action: "attendee.edited", subjectType: "ticket", subjectId: ticketId } as const;
      await recordAudit(tx, actor, { ...entry, ...diff });
    }
    return { ok: true, ticketId, emailChangedTo: change === "changed" ? email : undefined };
  });
}

/** Sends the confirmation email (ticket, QR, PDF, link) again, e.g. to someone who lost it. */
export async function resendConfirmation(
  db: Db,
  actor: AuditActor,
  editionId: string,
  ticketId: string,
  now = new Date(),
): Promise<AttendeeChange> {
  const ticket = await findTicket(db, editionId, ticketId);
  if (!ticket) return { ok: false, reason: "not_found" };
  if (recordStanding(ticket, ticket.order) !== "valid") return { ok: false, reason: "not_confirmed" };
  await db.$transaction(async (tx) => {
    await enqueueTicketAgain(tx, ticket, `resent:${now.getTime()}`);
    await recordAudit(tx, actor, {
      editionId,
      action: "attendee.confirmation_resent",
      subjectType: "ticket",
      subjectId: ticketId,
      after: { to: ticket.email ?? ticket.order.buyerEmail },
    });
  });
  return { ok: true, ticketId };
}

/**
 * Cancels a confirmed registration: its seat goes back on sale at once. With `refund`, a paid order
 * is refunded in full (through Stripe, or by the organiser's transfer for an order paid that way); without, the
 * money is kept (a no-show policy, say) and only the ticket is voided. `alongWith`: the tickets cancelled in the
 * same action (a bulk selection), so that a group whose live tickets are all among them ends as a whole.
 */
export async function cancelAttendee(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  editionId: string,
  ticketId: string,
  { refund, now = new Date(), alongWith = [] }: { refund: boolean; now?: Date; alongWith?: Iterable<string> },
): Promise<AttendeeChange> {
  const ticket = await findTicket(db, editionId, ticketId);
  if (!ticket) return { ok: false, reason: "not_found" };
  const audit = {
    editionId,
    subjectType: "ticket" as const,
    subjectId: ticketId,
    before: { status: ticket.order.status },
  };
  if ((await db.ticket.count({ where: { orderId: ticket.orderId } })) > 1) {
    const selection = new Set([ticketId, ...alongWith]);
    if (await cancelWholeGroup(db, stripe, actor, ticket.orderId, selection, { refund, now, audit })) {
      return { ok: true, ticketId };
    }
    return cancelGroupMember(db, stripe, actor, ticket, { refund, now, audit });
  }
  if (refund) {
    const outcome = await refundOrder(db, stripe, ticket.orderId, {
      reason: "organiser_cancelled",
      now,
      alsoInTransaction: (tx) =>
        recordAudit(tx, actor, {
          ...audit,
          action: "attendee.cancelled_refunded",
          after: { status: "REFUNDED", amountCents: ticket.order.amountCents },
        }),
    });
    if (outcome === "refunded" || outcome === "already_refunded") return { ok: true, ticketId };
    return { ok: false, reason: outcome === "unknown_order" ? "not_found" : "not_refundable" };
  }
  return db.$transaction(async (tx): Promise<AttendeeChange> => {
    const order = await lockOrder(tx, ticket.orderId);
    if (!order || order.status !== "CONFIRMED") return { ok: false, reason: "not_confirmed" };
    await cancelOrder(tx, order, "CANCELLED", { reason: "organiser_cancelled", now });
    await enqueueCancellationEmail(tx, order.id, "organiser_cancelled");
    await recordAudit(tx, actor, { ...audit, action: "attendee.cancelled", after: { status: "CANCELLED" } });
    return { ok: true, ticketId };
  });
}

type TicketAudit = { editionId: string; subjectType: "ticket"; subjectId: string };

/**
 * A group whose live tickets are all being cancelled ends as a whole, like a solo order: with `refund`, one refund
 * of what is left (decideFullRefund: one credit note, one email to the buyer), else one cancellation email; never
 * a notice per ticket saying the others stay valid. Decided under the order's lock with its tickets as they are
 * then. False (nothing done) when a live ticket is not in `selection`, or when money of a ticket cancelled before
 * was kept: refunding "what is left" would give it back, so those go ticket by ticket.
 */
async function cancelWholeGroup(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  orderId: string,
  selection: ReadonlySet<string>,
  { refund, now, audit }: { refund: boolean; now: Date; audit: TicketAudit },
): Promise<boolean> {
  const refunded = await db.$transaction(async (tx): Promise<boolean | null> => {
    const order = await lockOrder(tx, orderId);
    if (!order || order.status !== "CONFIRMED") return null;
    const live = await tx.ticket.findMany({
      where: { orderId, status: "ACTIVE" },
      select: { id: true, priceCents: true },
    });
    if (live.length === 0 || live.some((ticket) => !selection.has(ticket.id))) return null;
    const liveCents = live.reduce((sum, ticket) => sum + ticket.priceCents, 0);
    const alreadyRefunded = await refundedCents(tx, orderId);
    const giveBack = refund && liveCents > 0;
    if (giveBack && (order.amountCents - alreadyRefunded !== liveCents || !refundMethodOf(order))) return null;
    const reason = "organiser_cancelled";
    if (giveBack) await decideFullRefund(tx, order, { reason, now });
    else {
      await cancelOrder(tx, order, alreadyRefunded > 0 ? "REFUNDED" : "CANCELLED", { reason, now });
      await enqueueCancellationEmail(tx, order.id, reason);
    }
    for (const ticket of live) {
      await recordAudit(tx, actor, {
        ...audit,
        subjectId: ticket.id,
        before: { status: "ACTIVE" },
        ...(giveBack && ticket.priceCents > 0
          ? { action: "attendee.cancelled_refunded", after: { status: "REFUNDED", amountCents: ticket.priceCents } }
          : { action: "attendee.cancelled", after: { status: "CANCELLED" } }),
      });
    }
    return giveBack;
  });
  if (refunded) await settlePendingRefunds(db, stripe, orderId);
  return refunded !== null;
}

/**
 * One member of a group: only their ticket is cancelled (and, with `refund`, its price refunded);
 * the order's other tickets stay valid, and the order ends with its last live ticket.
 */
async function cancelGroupMember(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  ticket: { id: string; orderId: string },
  { refund, now, audit }: { refund: boolean; now: Date; audit: TicketAudit },
): Promise<AttendeeChange> {
  const outcome = await cancelOneTicket(
    db,
    stripe,
    { orderId: ticket.orderId, ticketId: ticket.id },
    {
      refund,
      reason: "organiser_cancelled",
      now,
      alsoInTransaction: (tx, refundedCents) =>
        recordAudit(tx, actor, {
          ...audit,
          before: { status: "ACTIVE" },
          ...(refundedCents > 0
            ? { action: "attendee.cancelled_refunded", after: { status: "REFUNDED", amountCents: refundedCents } }
            : { action: "attendee.cancelled", after: { status: "CANCELLED" } }),
        }),
    },
  );
  switch (outcome) {
    case "refunded":
    case "cancelled":
    case "already_refunded":
    case "already_cancelled":
      return { ok: true, ticketId: ticket.id };
    case "unknown_order":
    case "unknown_ticket":
      return { ok: false, reason: "not_found" };
    default:
      return { ok: false, reason: "not_confirmed" };
  }
}

export type ComplimentaryResult =
  | { ok: true; orderId: string; reference: string; ticketIds: string[] }
  | { ok: false; reason: "invalid" | "already_registered"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "edition_closed" }
  | ({ ok: false } & SoldOut);

/**
 * Free tickets given by the organisers in one order: a speaker's own ticket, or a sponsor's group,
 * each ticket named now or left for its buyer to name from their order page. Either request shape
 * (one attendee, or a buyer and tickets[]) goes through the checks and the all-or-nothing claim of
 * any order, minus what only public buyers face: sale windows and closed registration, hidden
 * ticket types, required questions. Confirmed at once, priced 0, every ticket audited, emailed as
 * any confirmed order (the buyer's order email, each other named attendee their own ticket).
 */
export async function addComplimentaryTickets(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
  now = new Date(),
): Promise<ComplimentaryResult> {
  const edition = await db.edition.findUnique({
    where: { id: editionId },
    include: { ticketTypes: true, questions: { orderBy: { position: "asc" } } },
  });
  if (!edition) return { ok: false, reason: "not_found" };
  const request = parseOrderRequest(input);
  if (!request.success) return { ok: false, reason: "invalid", fieldErrors: request.fieldErrors };
  const { data, single } = request;
  const checked = checkOrderTickets(edition, data.tickets, { single, now, byOrganiser: true });
  if (!checked.ok) return { ok: false, reason: "invalid", fieldErrors: checked.fieldErrors };
  const buyer = data.buyer;
  let ticketIds: string[] = [];
  const placed = await placeOrder(db, {
    edition,
    buyer,
    tickets: checked.lines.map((line) => ({ ...line, priceCents: 0 })),
    locale: data.locale,
    holdExpiresAt: null,
    statusReason: "complimentary",
    evenIfClosed: true,
    now,
    alsoInTransaction: async (tx, order) => {
      ticketIds = order.ticketIds;
      for (const [index, line] of checked.lines.entries()) {
        await recordAudit(tx, actor, {
          editionId,
          action: "attendee.complimentary_added",
          subjectType: "ticket",
          subjectId: order.ticketIds[index],
          after: { ticketType: line.ticketType.code, ...line.attendee, buyer },
        });
      }
    },
  });
  if (placed.ok) return { ok: true, orderId: placed.order.id, reference: placed.order.reference, ticketIds };
  if (placed.reason === "sold_out") return { ok: false, ...soldOutByCode(edition.ticketTypes, placed) };
  if (placed.reason === "already_registered") {
    const emailField = (position: number) =>
      [...ticketFieldPrefix(single, position - 1), "attendee", "email"].join(".");
    const fieldErrors = Object.fromEntries(placed.positions.map((position) => [emailField(position), [placed.reason]]));
    return { ok: false, reason: "already_registered", fieldErrors };
  }
  return { ok: false, reason: placed.reason };
}
