import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { claimSeats, holdRunning, refusedForWantOfRoom, type SeatRefusal } from "@/lib/capacity/seats";
import { lockOrder, transitionOrder } from "@/lib/orders/transitions";
import { invoicePaidOrder } from "./invoicing";

/** Days before a transfer's deadline its buyer is reminded, earliest first: each reminder is sent once. */
export const TRANSFER_REMINDER_DAYS = [3, 1] as const;

/** Whether an order still waits for its transfer at `now`: placed to be paid that way, unpaid, its deadline ahead. */
export function awaitsTransfer(
  order: { status: string; paymentMethod: "CARD" | "TRANSFER"; holdExpiresAt: Date | null },
  now: Date,
): order is typeof order & { holdExpiresAt: Date } {
  return order.status === "PENDING" && order.paymentMethod === "TRANSFER" && holdRunning(order.holdExpiresAt, now);
}

export type ReceivedTransfer = {
  orderId: string;
  amountCents: number;
  currency: string;
  /** The day the bank booked it (a statement's booking date, or what the organiser read on their account). */
  receivedOn: Date;
  /** A statement line's stable id: a line already recorded confirms nothing more. */
  statementLineId?: string | null;
  /** Who marked it, or confirmed the statement. */
  recordedBy: string;
  /** A transfer of more than is due still confirms the order (the organiser refunds the difference). */
  acceptOverpayment?: boolean;
};

export type TransferOutcome =
  | { ok: true; outcome: "confirmed" | "confirmed_late" }
  | {
      ok: false;
      /**
       * already_paid: the order was paid (by card, or by another transfer): this money is to be sent back.
       * not_awaiting: cancelled or refunded meanwhile, or never a transfer's. no_seat: the deadline passed and its
       * seats have been taken since: nothing was confirmed, and the money is to be sent back.
       */
      reason: "unknown_order" | "line_recorded" | "already_paid" | "not_awaiting" | "amount_mismatch" | "no_seat";
      dueCents?: number;
    };

class NoSeatForTransfer extends Error {
  constructor(readonly refusal: SeatRefusal) {
    super(refusal.reason);
  }
}

/**
 * A bank transfer for an order has arrived: the order is confirmed, exactly once, like a card payment
 * (settle.ts): its tickets are emailed and an organisation's invoice issued, marked paid by transfer. An order
 * whose deadline passed gets its seats back only if they are still free, all or none. The order's Stripe session,
 * if its payer opened one, no longer counts as its payment: should it be paid too, that payment is refunded as a
 * second one. `alsoInTransaction` writes with it (the organiser's audit entry).
 */
export async function confirmTransfer(
  db: Db,
  transfer: ReceivedTransfer,
  now: Date,
  alsoInTransaction?: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<TransferOutcome> {
  try {
    return await db.$transaction(async (tx): Promise<TransferOutcome> => {
      if (transfer.statementLineId) {
        const recorded = await tx.transferPayment.findUnique({
          where: { statementLineId: transfer.statementLineId },
          select: { id: true },
        });
        if (recorded) return { ok: false, reason: "line_recorded" };
      }
      const order = await lockOrder(tx, transfer.orderId);
      if (!order) return { ok: false, reason: "unknown_order" };
      if (order.status === "CONFIRMED") return { ok: false, reason: "already_paid" };
      if (order.status !== "PENDING" && order.status !== "EXPIRED") return { ok: false, reason: "not_awaiting" };
      if (order.paymentMethod !== "TRANSFER") return { ok: false, reason: "not_awaiting" };
      const short = transfer.amountCents < order.amountCents;
      const over = transfer.amountCents > order.amountCents && !transfer.acceptOverpayment;
      if (transfer.currency !== order.currency || short || over) {
        return { ok: false, reason: "amount_mismatch", dueCents: order.amountCents };
      }

      const onTime = order.status === "PENDING" && order.holdLive;
      const data = { holdExpiresAt: null, paymentReference: null };
      await transitionOrder(tx, order, "CONFIRMED", { now, reason: onTime ? undefined : "late_payment", data });
      const claim = await claimSeats(tx, { editionId: order.editionId, orderId: order.id, evenIfClosed: true });
      if (!claim.ok) throw new NoSeatForTransfer(claim);
      await tx.transferPayment.create({
        data: {
          orderId: order.id,
          amountCents: transfer.amountCents,
          currency: transfer.currency,
          receivedOn: transfer.receivedOn,
          statementLineId: transfer.statementLineId ?? null,
          recordedBy: transfer.recordedBy,
          createdAt: now,
        },
      });
      await alsoInTransaction?.(tx);
      // Last, as the invoice series is held until the commit.
      await invoicePaidOrder(tx, order.id, now, { means: "transfer", paidAt: transfer.receivedOn });
      return { ok: true, outcome: onTime ? "confirmed" : "confirmed_late" };
    });
  } catch (error) {
    if (!(error instanceof NoSeatForTransfer) && !refusedForWantOfRoom(error)) throw error;
    return { ok: false, reason: "no_seat" };
  }
}

export type DeadlineChange =
  | { ok: true; before: Date; after: Date }
  | { ok: false; reason: "unknown_order" | "not_awaiting" | "in_past" | "after_start" };

/**
 * The organiser gives a transfer order more time (or takes back too much of it): its deadline (the hold) moves to
 * `deadline`, which must be ahead and before the edition starts, and its reminders start over. The edition's own
 * limit (transferClosesDaysBefore) is for buyers, not for the organiser's choice. Only while the order still holds
 * its seats: one whose deadline passed has released them to others.
 */
export async function moveTransferDeadline(
  db: Db,
  { orderId, deadline }: { orderId: string; deadline: Date },
  alsoInTransaction?: (tx: Prisma.TransactionClient, change: { before: Date; after: Date }) => Promise<void>,
  now = new Date(),
): Promise<DeadlineChange> {
  return db.$transaction(async (tx): Promise<DeadlineChange> => {
    const order = await lockOrder(tx, orderId);
    if (!order) return { ok: false, reason: "unknown_order" };
    const { startsAt } = await tx.edition.findUniqueOrThrow({
      where: { id: order.editionId },
      select: { startsAt: true },
    });
    if (order.status !== "PENDING" || !order.holdLive || order.paymentMethod !== "TRANSFER" || !order.holdExpiresAt) {
      return { ok: false, reason: "not_awaiting" };
    }
    if (deadline <= now) return { ok: false, reason: "in_past" };
    if (deadline >= startsAt) return { ok: false, reason: "after_start" };
    await tx.order.update({ where: { id: orderId }, data: { holdExpiresAt: deadline, transferRemindersSent: 0 } });
    const change = { before: order.holdExpiresAt, after: deadline };
    await alsoInTransaction?.(tx, change);
    return { ok: true, ...change };
  });
}
