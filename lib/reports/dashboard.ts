import { listAllocations } from "@/lib/vouchers/allocations";
import type { Db } from "@/lib/db/prisma";
import { confirmedSeat, confirmedSeatWhere, getSeatUsage, seatsLeft, seatsTaken } from "@/lib/capacity/seats";
import { REFUND_NEEDS_ATTENTION } from "@/lib/payments/refunds";
import { statementPayers } from "@/lib/payments/refund-retry";
import { waitingListFigures } from "@/lib/waitlist/admin";

type EditionForDashboard = {
  id: string;
  capacity: number;
  timeZone: string;
  ticketTypes: { id: string; code: string; nameFr: string; nameEn: string; quota: number | null }[];
};

/**
 * An edition's live figures. Seats come from getSeatUsage, the query registration itself uses, so
 * the dashboard and the public pages never disagree.
 */
export async function getEditionDashboard(db: Db, edition: EditionForDashboard, now = new Date()) {
  const usage = await getSeatUsage(db, edition.id, now);
  // Money collected: every order that was paid (a late payment refunded for want of a seat included)
  // or confirmed; refunds Stripe has completed are then subtracted, so net is what the edition keeps.
  // A refund still pending, or failed, is money still held.
  const [money] = await db.$queryRaw<{ gross: bigint | null; refunded: bigint | null }[]>`
    SELECT (SELECT sum("amountCents") FROM "Order"
            WHERE "editionId" = ${edition.id}::uuid AND ("confirmedAt" IS NOT NULL OR "paymentIntentId" IS NOT NULL)
           ) AS gross,
           (SELECT sum(r."amountCents") FROM "Refund" r JOIN "Order" o ON o.id = r."orderId"
            WHERE o."editionId" = ${edition.id}::uuid AND r.status = 'SUCCEEDED') AS refunded`;
  // Per ticket: its price, less its own refund, or its price when the rest of its order was refunded
  // (an order-level refund covers the tickets not refunded on their own).
  const revenueByType = await db.$queryRaw<{ ticketTypeId: string; gross: bigint; refunded: bigint }[]>`
    SELECT t."ticketTypeId", sum(t."priceCents") AS gross,
           coalesce(sum(CASE WHEN own.id IS NOT NULL THEN own."amountCents"
                             WHEN rest.id IS NOT NULL THEN t."priceCents" END), 0) AS refunded
    FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
    LEFT JOIN "Refund" own ON own."ticketId" = t.id AND own.status = 'SUCCEEDED'
    LEFT JOIN "Refund" rest ON rest."orderId" = o.id AND rest."ticketId" IS NULL AND rest.status = 'SUCCEEDED'
    WHERE t."editionId" = ${edition.id}::uuid AND (o."confirmedAt" IS NOT NULL OR o."paymentIntentId" IS NOT NULL)
    GROUP BY t."ticketTypeId"`;
  // Orders that own at least one seat for good: a team's order counts once, however many tickets it holds.
  const confirmedOrders = await db.order.count({
    where: { editionId: edition.id, tickets: { some: confirmedSeatWhere } },
  });
  // Per day in the edition's zone: registrations confirmed that day and still live now.
  const perDay = await db.$queryRaw<{ day: string; count: bigint }[]>`
    SELECT to_char(date_trunc('day', o."confirmedAt" AT TIME ZONE ${edition.timeZone}), 'YYYY-MM-DD') AS day,
           count(*) AS count
    FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
    WHERE t."editionId" = ${edition.id}::uuid AND ${confirmedSeat}
    GROUP BY 1 ORDER BY 1`;
  const checkedIn = await db.ticket.count({
    where: { editionId: edition.id, ...confirmedSeatWhere, checkedInAt: { not: null } },
  });
  // Tickets two devices let in while offline: the organisers should know who came in twice.
  const offlineConflicts = await db.checkInScan.findMany({
    where: { editionId: edition.id, offlineConflict: true },
    orderBy: { scannedAt: "desc" },
    take: 50,
    select: {
      id: true,
      deviceId: true,
      scannedAt: true,
      ticket: { select: { id: true, firstName: true, lastName: true } },
    },
  });
  // Money that should go back and has not yet: organisers see it and can retry from each attendee.
  const refundsToFollow = await db.refund.findMany({
    where: { order: { editionId: edition.id }, ...REFUND_NEEDS_ATTENTION },
    orderBy: { createdAt: "asc" },
    take: 50,
    select: {
      id: true,
      status: true,
      stripeRefundId: true,
      amountCents: true,
      currency: true,
      lastError: true,
      method: true,
      order: {
        select: {
          reference: true,
          tickets: { select: { id: true } },
          // What the organiser needs to send a transfer back: whom to, and the payment it returns.
          buyerFirstName: true,
          buyerLastName: true,
          billing: { select: { organisation: true } },
          transferPayment: { select: { amountCents: true, currency: true, receivedOn: true, statementLineId: true } },
        },
      },
    },
  });
  const lineIds = refundsToFollow.flatMap(({ order }) => order.transferPayment?.statementLineId ?? []);
  const payers = await statementPayers(db, lineIds);
  const refundsNeedingAttention = refundsToFollow.map((refund) => {
    const payment = refund.order.transferPayment;
    const payer = payment?.statementLineId ? (payers.get(payment.statementLineId) ?? null) : null;
    return { ...refund, order: { ...refund.order, transferPayment: payment && { ...payment, payer } } };
  });
  const orphanPayments = await db.orphanPayment.findMany({
    where: { order: { editionId: edition.id } },
    orderBy: { createdAt: "desc" },
    // Unknown orders have no edition: they are only logged as alerts (see docs/payments.md).
    take: 50,
    select: {
      id: true,
      reason: true,
      amountCents: true,
      currency: true,
      status: true,
      stripeRefundId: true,
      lastError: true,
      createdAt: true,
      order: { select: { reference: true } },
    },
  });
  const waitingList = await waitingListFigures(db, edition.id);
  const revenue = new Map(revenueByType.map((row) => [row.ticketTypeId, Number(row.gross) - Number(row.refunded)]));
  const taken = seatsTaken(usage);
  let cumulative = 0;
  return {
    capacity: edition.capacity,
    confirmed: usage.confirmed,
    confirmedOrders,
    held: usage.held,
    // The counters' `reserved` holds both: blocks' unused seats and the waiting list's open offers.
    reserved: usage.reserved - waitingList.offeredSeats,
    offered: waitingList.offeredSeats,
    blocks: await listAllocations(db, edition.id),
    left: Math.max(0, edition.capacity - taken),
    grossCents: Number(money.gross ?? 0),
    refundedCents: Number(money.refunded ?? 0),
    netCents: Number(money.gross ?? 0) - Number(money.refunded ?? 0),
    checkedIn,
    offlineConflicts,
    refundsNeedingAttention,
    orphanPayments,
    waitingList,
    ticketTypes: edition.ticketTypes.map((type) => ({
      ...type,
      confirmed: usage.byTicketType.get(type.id)?.confirmed ?? 0,
      held: usage.byTicketType.get(type.id)?.held ?? 0,
      left: seatsLeft(edition, type, usage),
      netCents: revenue.get(type.id) ?? 0,
    })),
    registrationsPerDay: perDay.map((row) => {
      cumulative += Number(row.count);
      return { day: row.day, count: Number(row.count), cumulative };
    }),
  };
}

export type EditionDashboard = Awaited<ReturnType<typeof getEditionDashboard>>;
