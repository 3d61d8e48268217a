import type { Db } from "@/lib/db/prisma";
import { entryEmailKey, newEntryToken } from "@/lib/waitlist/entries";

type Edition = { id: string; ticketTypes: { id: string; code: string }[] };

let entries = 0;

/**
 * An entry at the end of an edition's waiting line, as a join leaves it: one seat of any listed type unless told
 * otherwise. It serves nothing (a join never does: the next freed seat does).
 */
export async function addTestEntry(
  db: Db,
  edition: Edition,
  options: { seats?: number; acceptsFewer?: boolean; types?: string[]; locale?: "fr" | "en"; name?: string } = {},
) {
  entries += 1;
  const name = options.name ?? `Waiting ${entries}`;
  const email = `waiting-${entries}-${process.pid}-${Date.now().toString(36)}@example.org`;
  const codes = options.types ?? edition.ticketTypes.map((type) => type.code);
  return db.waitingListEntry.create({
    data: {
      editionId: edition.id,
      name,
      email,
      emailKey: entryEmailKey(email),
      locale: options.locale ?? "en",
      seatsWanted: options.seats ?? 1,
      acceptsFewer: options.acceptsFewer ?? false,
      token: newEntryToken(),
      ticketTypes: {
        create: codes.map((code) => ({ ticketTypeId: edition.ticketTypes.find((type) => type.code === code)!.id })),
      },
    },
  });
}

/** An entry's state and its open or latest offer, for assertions. */
export async function entryState(db: Db, entryId: string) {
  const entry = await db.waitingListEntry.findUniqueOrThrow({
    where: { id: entryId },
    include: {
      offers: { orderBy: { createdAt: "desc" }, take: 1, include: { ticketType: { select: { code: true } } } },
    },
  });
  const offer = entry.offers[0];
  return {
    status: entry.status,
    passedOver: entry.passedOver,
    offer: offer ? { status: offer.status, seats: offer.seats, type: offer.ticketType.code } : null,
  };
}
