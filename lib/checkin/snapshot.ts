import { ATTENDEE_FROM, attendeeWhereSql, nestTicketRow } from "@/lib/attendees/query";
import { cursorRows } from "@/lib/db/cursor";
import type { Db } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { byteStream } from "@/lib/http/byte-stream";
import { buyerLabel, holderName } from "@/lib/orders/holder";
import { liveVerifyKeys, publicKeyX, type VerifyKey } from "@/lib/tickets/codes";
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

// What a scanner keeps of a ticket, read FROM ATTENDEE_FROM and nested by nestTicketRow.
const TICKET_COLUMNS = Prisma.sql`t.id, t."codeVersion", t.status::text AS status, t."firstName", t."lastName",
  t.company, t."checkedInAt", t."orderId", t.position, tt."nameFr" AS "tt_nameFr", tt."nameEn" AS "tt_nameEn",
  o.status::text AS "o_status", o."buyerFirstName" AS "o_buyerFirstName", o."buyerLastName" AS "o_buyerLastName",
  o."buyerCompany" AS "o_buyerCompany"`;

type TicketRow = Parameters<typeof snapshotTicket>[0];

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
 * What a scanner keeps for working offline: the public keys that verify codes, and every ticket
 * of the edition with whether it stands and who holds it. The tickets come through a cursor, to be
 * streamed out (snapshotJson): an edition of 100,000 holds one batch of them in memory at a time.
 */
export async function checkInSnapshot(
  db: Db,
  edition: { id: string; slug: string; nameFr: string; nameEn: string },
  verifyKeys: readonly VerifyKey[],
  now = new Date(),
) {
  const query = Prisma.sql`SELECT ${TICKET_COLUMNS} FROM ${ATTENDEE_FROM}
    WHERE t."editionId" = ${edition.id}::uuid AND o.status IN ('CONFIRMED', 'CANCELLED', 'REFUNDED')`;
  async function* tickets() {
    for await (const row of cursorRows<Record<string, unknown>>(db, query)) {
      yield snapshotTicket(nestTicketRow<TicketRow>(row));
    }
  }
  return {
    edition: { id: edition.id, slug: edition.slug, nameFr: edition.nameFr, nameEn: edition.nameEn },
    publicKey: publicKeyX(verifyKeys[0].publicKey),
    // The current key first; a scanner tries each (answerOffline), as the server does.
    publicKeys: liveVerifyKeys(verifyKeys, now).map((key) => publicKeyX(key.publicKey)),
    tickets: tickets(),
    counts: await checkInCounts(db, edition.id),
    syncedAt: now.toISOString(),
  };
}

/** A snapshot as the JSON the scanner reads, written ticket by ticket as the client takes it. */
export function snapshotJson(snapshot: Awaited<ReturnType<typeof checkInSnapshot>>): ReadableStream<Uint8Array> {
  const { tickets, ...head } = snapshot;
  async function* text() {
    yield JSON.stringify(head).slice(0, -1) + ',"tickets":[';
    let first = true;
    for await (const ticket of tickets) {
      yield (first ? "" : ",") + JSON.stringify(ticket);
      first = false;
    }
    yield "]}";
  }
  return byteStream(text());
}

/** People to check in by hand (no ticket on them): by name, email, company or order reference. */
export async function searchForCheckIn(
  db: Db,
  editionId: string,
  q: string,
  now = new Date(),
): Promise<SnapshotTicket[]> {
  const text = q.trim().slice(0, 200);
  if (text.length < 2) return [];
  const rows = await db.$queryRaw<Record<string, unknown>[]>`SELECT ${TICKET_COLUMNS} FROM ${ATTENDEE_FROM}
    WHERE ${attendeeWhereSql(editionId, { q: text }, now)} ORDER BY t."lastName" ASC, t."firstName" ASC LIMIT 20`;
  return rows
    .map((row) => nestTicketRow<TicketRow>(row))
    .filter((ticket) => ticket.order.status !== "PENDING" && ticket.order.status !== "EXPIRED")
    .map(snapshotTicket);
}
