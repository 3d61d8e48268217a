import { randomBytes } from "node:crypto";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { lockEdition } from "@/lib/capacity/seats";
import type { Db, Prisma } from "@/lib/db/prisma";

/** The address an entry is known by: one live entry per address and edition (a partial unique index). */
export const entryEmailKey = (email: string) => email.trim().toLowerCase();

/** An entry's private link secret: 32 random bytes, base64url. */
export const newEntryToken = () => randomBytes(32).toString("base64url");

type Tx = Prisma.TransactionClient;

/** What leaving, declining or removing did: `closed` false when the entry was closed already (a second click). */
export type EntryClosing = { ok: true; closed: boolean } | { ok: false; reason: "not_found" };

/**
 * The entry leaves the line from its private link (or the emails' one-click link): REMOVED by itself. An open offer
 * is withdrawn and its seats go to the next entry in the same transaction. Twice is harmless.
 */
export async function leaveWaitingList(db: Db, token: string): Promise<EntryClosing> {
  const entry = await db.waitingListEntry.findUnique({ where: { token }, select: { id: true, editionId: true } });
  if (!entry) return { ok: false, reason: "not_found" };
  return db.$transaction(async (tx) => ({ ok: true, closed: await removeIn(tx, entry, "self") }));
}

/**
 * The organiser takes an entry off the list (audited): an open offer is withdrawn and its seats passed on, as when
 * the entry leaves by itself. `by` "erased" when it goes because its address's data is erased (lib/privacy).
 */
export async function removeEntry(
  db: Db,
  actor: AuditActor,
  entryId: string,
  by: "organiser" | "erased" = "organiser",
): Promise<EntryClosing> {
  const entry = await db.waitingListEntry.findUnique({ where: { id: entryId }, select: { id: true, editionId: true } });
  if (!entry) return { ok: false, reason: "not_found" };
  return db.$transaction(async (tx) => {
    const closed = await removeIn(tx, entry, by);
    if (closed) {
      await recordAudit(tx, actor, {
        editionId: entry.editionId,
        action: "waitlist.removed",
        subjectType: "waitlist_entry",
        subjectId: entry.id,
      });
    }
    return { ok: true, closed };
  });
}

// The edition's row first, as every writer of an entry with an offer; the entry REMOVED before its offer is
// withdrawn (a withdrawal leaves the entry as it is), so the walk that follows never offers it again.
async function removeIn(tx: Tx, entry: { id: string; editionId: string }, by: "self" | "organiser" | "erased") {
  await lockEdition(tx, entry.editionId);
  const removed = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "WaitingListEntry" SET status = 'REMOVED', "removedBy" = ${by}, "closedAt" = guichet_now(),
           "updatedAt" = clock_timestamp()
     WHERE id = ${entry.id}::uuid AND status IN ('WAITING', 'OFFERED')
    RETURNING id`;
  if (removed.length === 0) return false;
  await tx.$queryRaw`
    SELECT guichet_waitlist_close_offer(id, 'WITHDRAWN') FROM "WaitingListOffer"
     WHERE "entryId" = ${entry.id}::uuid AND status IN ('GATHERING', 'OFFERED')`;
  return true;
}

/**
 * The offered person does not want the seats: the offer and the entry close DECLINED, and the seats go to the next
 * entry in the same transaction. `closed` false when there was no offer out (declined already, lapsed, converted).
 */
export async function declineOffer(db: Db, token: string): Promise<EntryClosing> {
  const entry = await db.waitingListEntry.findUnique({ where: { token }, select: { id: true, editionId: true } });
  if (!entry) return { ok: false, reason: "not_found" };
  return db.$transaction(async (tx) => {
    await lockEdition(tx, entry.editionId);
    const [{ closed }] = await tx.$queryRaw<{ closed: boolean }[]>`
      SELECT coalesce(bool_or(guichet_waitlist_close_offer(id, 'DECLINED')), false) AS closed
        FROM "WaitingListOffer" WHERE "entryId" = ${entry.id}::uuid AND status = 'OFFERED'`;
    return { ok: true, closed };
  });
}

/** What an entry's private page shows (docs/waiting-list.md, "Pages"). */
export type EntryPage = {
  entry: {
    id: string;
    name: string;
    locale: "fr" | "en";
    status: "WAITING" | "OFFERED" | "CONVERTED" | "LAPSED" | "DECLINED" | "REMOVED";
    seatsWanted: number;
    acceptsFewer: boolean;
    joinedAt: Date;
    /** 1 for the first in line: WAITING entries ahead, plus one. Null unless WAITING. */
    position: number | null;
    /** The types accepted, in the edition's order. */
    ticketTypes: { id: string; code: string; nameFr: string; nameEn: string }[];
  };
  edition: {
    id: string;
    slug: string;
    nameFr: string;
    nameEn: string;
    timeZone: string;
    startsAt: Date;
    currency: string;
  };
  /**
   * The open offer: GATHERING (seats kept so far for a group, out of seatsWanted) or OFFERED (until expiresAt);
   * null when none is open.
   */
  offer: {
    id: string;
    status: "GATHERING" | "OFFERED";
    seats: number;
    ticketType: { id: string; code: string; nameFr: string; nameEn: string; priceCents: number };
    expiresAt: Date | null;
  } | null;
};

/** The entry holding this private token, as its page shows it; null for an unknown token. */
export async function loadEntryPage(db: Db, token: string): Promise<EntryPage | null> {
  const type = { select: { id: true, code: true, nameFr: true, nameEn: true, position: true, priceCents: true } };
  const entry = await db.waitingListEntry.findUnique({
    where: { token },
    include: {
      edition: {
        select: { id: true, slug: true, nameFr: true, nameEn: true, timeZone: true, startsAt: true, currency: true },
      },
      ticketTypes: { select: { ticketType: type } },
      offers: { where: { status: { in: ["GATHERING", "OFFERED"] } }, include: { ticketType: type } },
    },
  });
  if (!entry) return null;
  const ahead =
    entry.status === "WAITING"
      ? await db.waitingListEntry.count({
          where: { editionId: entry.editionId, status: "WAITING", position: { lt: entry.position } },
        })
      : null;
  const open = entry.offers[0];
  const nameOf = ({ id, code, nameFr, nameEn }: { id: string; code: string; nameFr: string; nameEn: string }) => ({
    id,
    code,
    nameFr,
    nameEn,
  });
  return {
    entry: {
      id: entry.id,
      name: entry.name,
      locale: entry.locale,
      status: entry.status,
      seatsWanted: entry.seatsWanted,
      acceptsFewer: entry.acceptsFewer,
      joinedAt: entry.joinedAt,
      position: ahead === null ? null : ahead + 1,
      ticketTypes: entry.ticketTypes
        .map((accepted) => accepted.ticketType)
        .sort((a, b) => a.position - b.position)
        .map(nameOf),
    },
    edition: entry.edition,
    offer: open
      ? {
          id: open.id,
          status: open.status as "GATHERING" | "OFFERED",
          seats: open.seats,
          ticketType: { ...nameOf(open.ticketType), priceCents: open.ticketType.priceCents },
          expiresAt: open.expiresAt,
        }
      : null,
  };
}
