import type { Db } from "@/lib/db/prisma";
import type { Edition, Question, TicketType } from "@/lib/generated/prisma/client";
import { getSeatUsage, seatsLeft, seatsTaken } from "@/lib/capacity/seats";
import { saleState, type SaleState } from "./sales";
import { isSafeText } from "@/lib/forms/fields";

export type TicketTypeOffer = TicketType & { seatsLeft: number; saleState: SaleState };

export type EditionOffer = {
  edition: Edition;
  /** The types listed to everyone. */
  ticketTypes: TicketTypeOffer[];
  /** Types never listed, sold only with a code naming them (lib/vouchers/redeem.ts, offerWithCode). */
  hiddenTicketTypes: TicketTypeOffer[];
  questions: Question[];
  /** Seats left in the edition as a whole, whatever the ticket type. */
  seatsLeft: number;
};

async function offerFor(
  db: Db,
  edition: Edition & { ticketTypes: TicketType[]; questions: Question[] },
  now: Date,
): Promise<EditionOffer> {
  const usage = await getSeatUsage(db, edition.id, now);
  const offered = edition.ticketTypes
    .filter((type) => type.active)
    .map((type) => ({
      ...type,
      seatsLeft: seatsLeft(edition, type, usage),
      saleState: saleState(edition, type, now),
    }));
  return {
    edition,
    questions: edition.questions,
    seatsLeft: Math.max(0, edition.capacity - seatsTaken(usage)),
    ticketTypes: offered.filter((type) => !type.hidden),
    hiddenTicketTypes: offered.filter((type) => type.hidden),
  };
}

const offerInclude = {
  ticketTypes: { orderBy: { position: "asc" } },
  questions: { orderBy: { position: "asc" } },
} as const;

/** A public edition (open or closed, never a draft) with live availability, or null. */
export async function getEditionOffer(db: Db, slug: string, now = new Date()): Promise<EditionOffer | null> {
  // A slug from a URL or a bound action argument: anything Postgres cannot take names no edition.
  if (typeof slug !== "string" || !isSafeText(slug)) return null;
  const edition = await db.edition.findUnique({ where: { slug }, include: offerInclude });
  if (!edition || edition.status === "DRAFT") return null;
  return offerFor(db, edition, now);
}

/** Open editions that have not ended yet, soonest first. */
export async function listOpenEditionOffers(db: Db, now = new Date()): Promise<EditionOffer[]> {
  const editions = await db.edition.findMany({
    where: { status: "OPEN", endsAt: { gt: now } },
    orderBy: { startsAt: "asc" },
    include: offerInclude,
  });
  return Promise.all(editions.map((edition) => offerFor(db, edition, now)));
}
