import { holdRunning } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import type { OrderStatus } from "@/lib/generated/prisma/client";
import { looksLikeAccessToken } from "./codes";

/** The order behind an attendee's private link; the token is the only way in. */
export async function getOrderByAccessToken(db: Db, accessToken: string) {
  if (!looksLikeAccessToken(accessToken)) return null;
  return db.order.findUnique({
    where: { accessToken },
    include: {
      edition: { include: { questions: { orderBy: { position: "asc" } } } },
      tickets: { include: { ticketType: true }, orderBy: { createdAt: "asc" } },
      refunds: {
        select: { id: true, ticketId: true, amountCents: true, currency: true, status: true, stripeRefundId: true },
        orderBy: { createdAt: "asc" },
      },
    },
  });
}

/** A pending order whose hold has run out is expired, whether or not a cleanup has marked it yet. */
export function effectiveOrderStatus(
  order: { status: OrderStatus; holdExpiresAt: Date | null },
  now: Date,
): OrderStatus {
  if (order.status === "PENDING" && order.holdExpiresAt && !holdRunning(order.holdExpiresAt, now)) return "EXPIRED";
  return order.status;
}
