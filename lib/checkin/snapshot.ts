import type { KeyObject } from "node:crypto";
import type { AttendeeFilter } from "@/lib/attendees/query";
import { attendeeWhere } from "@/lib/attendees/query";
import type { Db } from "@/lib/db/prisma";
import { buyerLabel, holderName } from "@/lib/orders/holder";
import { recordStanding, type RecordStanding } from "@/lib/tickets/standing";
import { checkInCounts } from "./scan";

export type SnapshotTicket = {
  id: string;
  /** The code version that stands; older codes were revoked by a reissue. */
  v: number;
  state: RecordStanding;
  name: string;
  company: string | null;
  /** Not named yet: `name` is the buyer's, as the server answers for it. */
  unnamed?: true;
  typeFr: string;
  typeEn: string;
  checkedInAt: string | null;
  /** Its order and place in it, so an offline scanner can list the ticket's group (absent in older snapshots). */
  orderId?: string;
  position?: number;
};

const ticketSelect = {
  id: true,
  codeVersion: true,
  status: true,
  firstName: true,
  lastName: true,
  company: true,
  checkedInAt: true,
  orderId: true,
  position: true,
  ticketType: { select: { nameFr: true, nameEn: true } },
  order: { select: { status: true, buyerFirstName: true, buyerLastName: true, buyerCompany: true } },
} as const;

function snapshotTicket(ticket: {
  id: string;
  codeVersion: number;
  status: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  checkedInAt: Date | null;
  orderId: string;
  position: number;
  ticketType: { nameFr: string; nameEn: string };
  order: { status: string; buyerFirstName: string; buyerLastName: string; buyerCompany: string | null };
}): SnapshotTicket {
  const state = recordStanding(ticket, ticket.order);
  const name = holderName(ticket);
  return {
    id: ticket.id,
    v: ticket.codeVersion,
    state,
    ...(name === null
      ? { name: buyerLabel(ticket.order), company: null, unnamed: true as const }
      : { name, company: ticket.company }),
    typeFr: ticket.ticketType.nameFr,
    typeEn: ticket.ticketType.nameEn,
    checkedInAt: ticket.checkedInAt?.toISOString() ?? null,
    orderId: ticket.orderId,
    position: ticket.position,
  };
}

/**
 * What a scanner keeps for working offline: the public key that verifies codes, and every ticket
 * of the edition with whether it stands and who holds it (a few hundred rows, tens of kilobytes).
 */
export async function checkInSnapshot(
  db: Db,
  edition: { id: string; slug: string; nameFr: string; nameEn: string },
  publicKey: KeyObject,
  now = new Date(),
) {
  const tickets = await db.ticket.findMany({
    where: { editionId: edition.id, order: { status: { in: ["CONFIRMED", "CANCELLED", "REFUNDED"] } } },
    select: ticketSelect,
  });
  return {
    edition: { id: edition.id, slug: edition.slug, nameFr: edition.nameFr, nameEn: edition.nameEn },
    publicKey: publicKey.export({ format: "jwk" }).x as string,
    tickets: tickets.map(snapshotTicket),
    counts: await checkInCounts(db, edition.id),
    syncedAt: now.toISOString(),
  };
}

/** People to check in by hand (no ticket on them): by name, email, company or order reference. */
export async function searchForCheckIn(
  db: Db,
  editionId: string,
  q: string,
  now = new Date(),
): Promise<SnapshotTicket[]> {
  const filter: AttendeeFilter = { q: q.trim().slice(0, 200) };
  if (filter.q!.length < 2) return [];
  const tickets = await db.ticket.findMany({
    where: attendeeWhere(editionId, filter, now),
    select: ticketSelect,
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    take: 20,
  });
  return tickets
    .filter((ticket) => ticket.order.status !== "PENDING" && ticket.order.status !== "EXPIRED")
    .map(snapshotTicket);
}
