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
           "paymentReference", "paymentIntentId",
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
  await tx.ticket.updateMany({ where: { orderId: order.id }, data: { status: "CANCELLED" } });
}
