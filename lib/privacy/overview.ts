import type { Db } from "@/lib/db/prisma";
import { emailHash } from "@/lib/messages/opt-out";

/**
 * What the back office shows of an address before acting on it: how many rows each table holds under it, and its
 * live tickets (confirmed, editions not ended), which an erasure cancels without refund.
 */
export async function addressOverview(db: Db, emailKey: string, now: Date) {
  const address = { equals: emailKey, mode: "insensitive" as const };
  const [orders, tickets, waitingList, emails, requests, live] = await Promise.all([
    db.order.count({ where: { buyerEmail: address } }),
    db.ticket.count({ where: { email: address } }),
    db.waitingListEntry.count({ where: { emailKey } }),
    db.emailOutbox.count({ where: { toAddress: address } }),
    db.privacyRequest.count({ where: { emailHash: emailHash(emailKey) } }),
    db.ticket.findMany({
      where: {
        status: "ACTIVE",
        order: { status: "CONFIRMED" },
        edition: { endsAt: { gt: now } },
        OR: [{ email: address }, { email: null, order: { buyerEmail: address } }],
      },
      orderBy: [{ edition: { startsAt: "asc" } }, { position: "asc" }],
      select: {
        id: true,
        position: true,
        firstName: true,
        lastName: true,
        ticketType: { select: { nameFr: true, nameEn: true } },
        edition: { select: { slug: true, nameFr: true, nameEn: true } },
        order: { select: { reference: true } },
      },
    }),
  ]);
  return { counts: { orders, tickets, waitingList, emails, requests }, live };
}
