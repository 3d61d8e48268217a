import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";

/** An order's record as the back office shows it, on the order's page and on each of its tickets'. */
export const ORDER_RECORD = {
  transitions: { orderBy: { createdAt: "asc" } },
  refunds: { orderBy: { createdAt: "asc" }, include: { ticket: { select: { position: true } } } },
  emails: {
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      kind: true,
      toAddress: true,
      status: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
    },
  },
} satisfies Prisma.OrderInclude;

/**
 * Everything the back office shows about one order: its buyer, every ticket, the payment and its
 * refunds (of single tickets, or of what was left), the emails it sent, and its history (status
 * changes, and what organisers did to it and its tickets), and a transfer that paid it.
 */
export async function getOrderDetail(db: Db, editionId: string, reference: string) {
  const order = await db.order.findFirst({
    where: { editionId, reference },
    include: {
      tickets: { orderBy: { position: "asc" }, include: { ticketType: true } },
      transferPayment: true,
      billing: true,
      ...ORDER_RECORD,
    },
  });
  if (!order) return null;
  const history = await db.auditEntry.findMany({
    where: {
      editionId,
      OR: [
        { subjectType: "ticket", subjectId: { in: order.tickets.map((ticket) => ticket.id) } },
        { subjectType: "order", subjectId: order.id },
      ],
    },
    orderBy: { createdAt: "asc" },
  });
  return { order, history };
}

export type OrderDetail = NonNullable<Awaited<ReturnType<typeof getOrderDetail>>>;
