import type { Db } from "@/lib/db/prisma";

/** Everything the back office shows about one attendee: order, payment, emails, check-in, history. */
export async function getAttendeeDetail(db: Db, editionId: string, ticketId: string) {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, editionId },
    include: {
      ticketType: true,
      order: {
        include: {
          transitions: { orderBy: { createdAt: "asc" } },
          refunds: { orderBy: { createdAt: "asc" }, include: { ticket: { select: { position: true } } } },
          tickets: { select: { id: true } },
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
