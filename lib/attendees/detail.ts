import type { Db } from "@/lib/db/prisma";
import { ORDER_RECORD } from "@/lib/orders/detail";

/** Everything the back office shows about one attendee: order, payment, emails, check-in, history. */
export async function getAttendeeDetail(db: Db, editionId: string, ticketId: string) {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, editionId },
    include: {
      ticketType: true,
      order: {
        include: {
          ...ORDER_RECORD,
          tickets: { select: { id: true, status: true } },
        },
      },
    },
  });
  if (!ticket) return null;
  const [history, scans] = await Promise.all([
    db.auditEntry.findMany({
      where: { editionId, subjectType: "ticket", subjectId: ticketId },
      orderBy: { createdAt: "asc" },
    }),
    db.checkInScan.findMany({
      where: { ticketId },
      orderBy: { scannedAt: "asc" },
      select: { id: true, result: true, deviceId: true, scannedAt: true, offline: true, offlineConflict: true },
    }),
  ]);
  return { ticket, history, scans };
}
