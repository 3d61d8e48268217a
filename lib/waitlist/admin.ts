import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { lockEdition } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { fieldErrorsOf, wholeNumber, type FieldErrors } from "@/lib/forms/fields";
import { serveWaitingList } from "./serve";

export const ENTRY_STATUSES = ["WAITING", "OFFERED", "CONVERTED", "LAPSED", "DECLINED", "REMOVED"] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** One line of the organiser's list: the entry, the types it accepts and its latest offer with its order. */
export type AdminEntry = {
  id: string;
  position: number;
  name: string;
  email: string;
  locale: "fr" | "en";
  status: EntryStatus;
  /** What the organiser reads: REMOVED tells the organiser's removals apart from those who left (LEFT). */
  shownStatus: EntryStatus | "LEFT";
  removedBy: string | null;
  seatsWanted: number;
  acceptsFewer: boolean;
  joinedAt: Date;
  ticketTypes: { id: string; code: string; nameFr: string; nameEn: string }[];
  offer: {
    status: "GATHERING" | "OFFERED" | "CONVERTED" | "LAPSED" | "DECLINED" | "WITHDRAWN";
    seats: number;
    ticketType: { id: string; code: string; nameFr: string; nameEn: string };
    offeredAt: Date | null;
    expiresAt: Date | null;
    manual: boolean;
    orderReference: string | null;
    /** The tickets the order placed with it holds: fewer than the seats when the buyer took fewer. */
    ticketsTaken: number | null;
  } | null;
};

const typeFields = { id: true, code: true, nameFr: true, nameEn: true, position: true } as const;

/**
 * An edition's waiting list by position (the line's order, joining again being a place at the end), narrowed to one
 * status when asked. The offer shown is the entry's latest: the open one, or the one that closed it.
 */
export async function listWaitingList(
  db: Db,
  editionId: string,
  filter: { status?: EntryStatus } = {},
): Promise<AdminEntry[]> {
  const rows = await db.waitingListEntry.findMany({
    where: { editionId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { position: "asc" },
    include: {
      ticketTypes: { select: { ticketType: { select: typeFields } } },
      offers: {
        orderBy: { createdAt: "desc" },
        take: 1,
        include: {
          ticketType: { select: typeFields },
          order: { select: { reference: true, _count: { select: { tickets: { where: { status: "ACTIVE" } } } } } },
        },
      },
    },
  });
  const nameOf = ({ id, code, nameFr, nameEn }: { id: string; code: string; nameFr: string; nameEn: string }) => ({
    id,
    code,
    nameFr,
    nameEn,
  });
  return rows.map((row) => {
    const offer = row.offers[0];
    return {
      id: row.id,
      position: Number(row.position),
      name: row.name,
      email: row.email,
      locale: row.locale,
      status: row.status,
      shownStatus: row.status === "REMOVED" && row.removedBy === "self" ? "LEFT" : row.status,
      removedBy: row.removedBy,
      seatsWanted: row.seatsWanted,
      acceptsFewer: row.acceptsFewer,
      joinedAt: row.joinedAt,
      ticketTypes: row.ticketTypes
        .map((accepted) => accepted.ticketType)
        .sort((a, b) => a.position - b.position)
        .map(nameOf),
      offer: offer
        ? {
            status: offer.status,
            seats: offer.seats,
            ticketType: nameOf(offer.ticketType),
            offeredAt: offer.offeredAt,
            expiresAt: offer.expiresAt,
            manual: offer.manual,
            orderReference: offer.order?.reference ?? null,
            ticketsTaken: offer.order ? offer.order._count.tickets : null,
          }
        : null,
    };
  });
}

/**
 * Pauses or resumes the automatic offers (audited). While paused, freed seats go to the public; resuming offers the
 * room there is at once, in the same transaction. Returns whether the setting changed and the offers made.
 */
export async function setWaitingListPaused(
  db: Db,
  actor: AuditActor,
  editionId: string,
  paused: boolean,
): Promise<{ changed: boolean; offers: number }> {
  return db.$transaction(async (tx) => {
    await lockEdition(tx, editionId);
    const { count } = await tx.edition.updateMany({
      where: { id: editionId, waitingListPaused: !paused },
      data: { waitingListPaused: paused },
    });
    if (count === 0) return { changed: false, offers: 0 };
    await recordAudit(tx, actor, {
      editionId,
      action: paused ? "waitlist.paused" : "waitlist.resumed",
      subjectType: "edition",
      subjectId: editionId,
    });
    return { changed: true, offers: paused ? 0 : await serveWaitingList(tx, editionId) };
  });
}

/** The list's figures for its tab and the dashboard (docs/waiting-list.md, "Back office"). */
export type WaitingListFigures = {
  /** Entries by status, every status present. */
  entries: Record<EntryStatus, number>;
  waitingSeats: number;
  offersOut: number;
  /** Seats of the open offers (out, or being gathered for a group): counted in the counters' `reserved`. */
  offeredSeats: number;
  converted: number;
  lapsed: number;
  declined: number;
  /** converted / (converted + lapsed + declined) offers; null while no offer has closed so. */
  conversionRate: number | null;
};

/** One query per table: entries by status (with the seats still wanted), offers by status. */
export async function waitingListFigures(db: Db, editionId: string): Promise<WaitingListFigures> {
  const [entries, offers] = await Promise.all([
    db.waitingListEntry.groupBy({
      by: ["status"],
      where: { editionId },
      _count: { _all: true },
      _sum: { seatsWanted: true },
    }),
    db.waitingListOffer.groupBy({
      by: ["status"],
      where: { editionId },
      _count: { _all: true },
      _sum: { seats: true },
    }),
  ]);
  const byStatus = Object.fromEntries(ENTRY_STATUSES.map((status) => [status, 0])) as Record<EntryStatus, number>;
  for (const row of entries) byStatus[row.status] = row._count._all;
  const offerCount = (status: string) => offers.find((row) => row.status === status)?._count._all ?? 0;
  const offerSeats = (status: string) => offers.find((row) => row.status === status)?._sum.seats ?? 0;
  const converted = offerCount("CONVERTED");
  const lapsed = offerCount("LAPSED");
  const declined = offerCount("DECLINED");
  const closed = converted + lapsed + declined;
  return {
    entries: byStatus,
    waitingSeats: entries.find((row) => row.status === "WAITING")?._sum.seatsWanted ?? 0,
    offersOut: offerCount("OFFERED"),
    offeredSeats: offerSeats("OFFERED") + offerSeats("GATHERING"),
    converted,
    lapsed,
    declined,
    conversionRate: closed === 0 ? null : converted / closed,
  };
}

export type ManualOffer =
  | { ok: true; offerId: string }
  | { ok: false; reason: "not_found" | "not_waiting" | "waiting_list_closed" }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_enough_seats"; seatsLeft: number };

/**
 * "Offer now": the organiser offers a waiting entry `seats` (1 to what it asked, fewer even for an exact group) of one
 * of its types, out of the line's order and even while the list is paused (audited waitlist.offered). Only the room
 * the public could buy is offered: `not_enough_seats` says how much there is. An entry with seats being gathered
 * (or any open offer) is `not_waiting`: its seats come to it by the walk.
 */
export async function offerManually(
  db: Db,
  actor: AuditActor,
  entryId: string,
  input: { seats: unknown; ticketTypeId: unknown },
): Promise<ManualOffer> {
  const entry = await db.waitingListEntry.findUnique({
    where: { id: entryId },
    include: { ticketTypes: { select: { ticketTypeId: true } } },
  });
  if (!entry) return { ok: false, reason: "not_found" };
  const parsed = z
    .object({
      // The limits, not "too large": the organiser sees the number the entry asked for on the same row.
      seats: wholeNumber({ min: 1, max: entry.seatsWanted, outOfRange: "offer_seats_range" }),
      ticketTypeId: z.enum(entry.ticketTypes.map((type) => type.ticketTypeId) as [string, ...string[]], {
        error: "invalid_choice",
      }),
    })
    .safeParse({ ...input, seats: typeof input.seats === "number" ? String(input.seats) : input.seats });
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { seats, ticketTypeId } = parsed.data;
  return db.$transaction(async (tx): Promise<ManualOffer> => {
    await lockEdition(tx, entry.editionId);
    const [room] = await tx.$queryRaw<{ room: number }[]>`
      SELECT room FROM guichet_waitlist_type_room(${entry.editionId}::uuid, guichet_now())
       WHERE type = ${ticketTypeId}::uuid`;
    const seatsLeft = Math.max(0, room?.room ?? 0);
    if (seatsLeft < seats) return { ok: false, reason: "not_enough_seats", seatsLeft };
    const [{ offer, waiting }] = await tx.$queryRaw<{ offer: string | null; waiting: boolean }[]>`
      SELECT guichet_waitlist_offer_entry(${entry.id}::uuid, ${ticketTypeId}::uuid, ${seats}, false, true)::text
             AS offer,
             EXISTS (SELECT 1 FROM "WaitingListEntry" x WHERE x.id = ${entry.id}::uuid AND x.status = 'WAITING'
                        AND NOT EXISTS (SELECT 1 FROM "WaitingListOffer" o
                                         WHERE o."entryId" = x.id AND o.status IN ('GATHERING', 'OFFERED')))
             AS waiting`;
    if (!offer) return { ok: false, reason: waiting ? "waiting_list_closed" : "not_waiting" };
    await recordAudit(tx, actor, {
      editionId: entry.editionId,
      action: "waitlist.offered",
      subjectType: "waitlist_entry",
      subjectId: entry.id,
      after: { seats, ticketTypeId },
    });
    return { ok: true, offerId: offer };
  });
}
