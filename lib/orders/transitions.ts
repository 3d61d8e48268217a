import { Prisma } from "@/lib/generated/prisma/client";
import type { OrderStatus } from "@/lib/generated/prisma/client";
import { holdRunningSql } from "@/lib/capacity/seats";
import { enqueueConfirmationEmails } from "./confirmation-emails";

export type LockedOrder = {
  id: string;
  status: OrderStatus;
  holdExpiresAt: Date | null;
  editionId: string;
  amountCents: number;
  currency: string;
  buyerEmail: string;
  paymentReference: string | null;
  paymentIntentId: string | null;
  paymentMethod: "CARD" | "TRANSFER";
  /** The hold is still running by the database's clock, the one every instance shares. */
  holdLive: boolean;
};

/**
 * Reads an order and locks its row until the transaction ends: its status changes one at a time.
 * With `accessToken` (an attendee acting through their private link), the order is found only if
 * the link is still its link once the lock is held: a transfer that replaced it a moment earlier wins.
 */
export async function lockOrder(
  tx: Prisma.TransactionClient,
  orderId: string,
  accessToken?: string,
): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<LockedOrder[]>`
    SELECT id, status::text AS status, "holdExpiresAt", "editionId", "amountCents", currency, "buyerEmail",
           "paymentReference", "paymentIntentId", "paymentMethod"::text AS "paymentMethod",
           coalesce(${holdRunningSql()}, false) AS "holdLive"
    FROM "Order" WHERE id = ${orderId}::uuid ${tokenIs(accessToken)} FOR UPDATE`;
  return rows[0] ?? null;
}

// Under READ COMMITTED, FOR UPDATE re-checks the WHERE on the row as the lock holder left it: a
// request that waited behind a transfer finds nothing.
const tokenIs = (accessToken: string | undefined) =>
  accessToken === undefined ? Prisma.empty : Prisma.sql`AND "accessToken" = ${accessToken}`;

/** Moves a locked order to a new status and records the transition in the same transaction. */
export async function transitionOrder(
  tx: Prisma.TransactionClient,
  order: Pick<LockedOrder, "id" | "status">,
  toStatus: OrderStatus,
  { reason, now, data }: { reason?: string; now: Date; data?: Prisma.OrderUpdateInput },
): Promise<void> {
  await tx.order.update({
    where: { id: order.id },
    data: {
      ...data,
      status: toStatus,
      statusReason: reason ?? null,
      ...(toStatus === "CONFIRMED" && { confirmedAt: now }),
    },
  });
  await tx.orderTransition.create({
    data: { orderId: order.id, fromStatus: order.status, toStatus, reason, createdAt: now },
  });
  if (toStatus === "CONFIRMED") await enqueueConfirmationEmails(tx, order.id);
}

/**
 * Ends a locked order for good and voids its tickets in the same transaction: their seats go back
 * on sale at once and their codes stop admitting. Every cancellation and refund goes through here,
 * whoever asks for it (the attendee, the organisers, Stripe, a dispute).
 */
export async function cancelOrder(
  tx: Prisma.TransactionClient,
  order: Pick<LockedOrder, "id" | "status">,
  toStatus: "CANCELLED" | "REFUNDED",
  change: { reason: string; now: Date; data?: Prisma.OrderUpdateInput },
): Promise<void> {
  await transitionOrder(tx, order, toStatus, change);
  // A ticket refunded on its own before keeps saying so.
  await tx.ticket.updateMany({ where: { orderId: order.id, status: "ACTIVE" }, data: { status: "CANCELLED" } });
}

export type TicketCancellation = "cancelled" | "already_refunded" | "already_cancelled" | "unknown_ticket";

/**
 * Voids one ticket of a locked, confirmed order: its seat goes back on sale at once and its code
 * stops admitting. REFUNDED says the ticket has a refund of its own (the caller writes it in the
 * same transaction). The order ends with its last live ticket: REFUNDED if any money went back,
 * otherwise CANCELLED.
 */
export async function cancelTicket(
  tx: Prisma.TransactionClient,
  order: Pick<LockedOrder, "id" | "status">,
  ticketId: string,
  { toStatus, reason, now }: { toStatus: "CANCELLED" | "REFUNDED"; reason: string; now: Date },
): Promise<TicketCancellation> {
  const ticket = await tx.ticket.findFirst({ where: { id: ticketId, orderId: order.id }, select: { status: true } });
  if (!ticket) return "unknown_ticket";
  if (ticket.status === "REFUNDED") return "already_refunded";
  if (ticket.status === "CANCELLED") return "already_cancelled";
  await tx.ticket.update({ where: { id: ticketId }, data: { status: toStatus } });
  if ((await tx.ticket.count({ where: { orderId: order.id, status: "ACTIVE" } })) === 0) {
    const refunded = (await tx.refund.count({ where: { orderId: order.id } })) > 0;
    await transitionOrder(tx, order, refunded ? "REFUNDED" : "CANCELLED", { reason, now });
  }
  return "cancelled";
}
