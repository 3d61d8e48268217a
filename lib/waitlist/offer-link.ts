import type { Db } from "@/lib/db/prisma";

/** An entry's offer as its private link opens it: who was offered what, until when. */
export type HeldOffer = {
  entry: { id: string; name: string; email: string; locale: "fr" | "en"; seatsWanted: number };
  offer: { id: string; ticketTypeId: string; seats: number; expiresAt: Date };
};

/**
 * The OFFERED offer of the entry holding this private token in an edition, or null (no such entry, no offer out).
 * Whether it can still be used is the placement's to decide, under the edition's row (GS008).
 */
export async function loadOffer(db: Db, editionId: string, token: string): Promise<HeldOffer | null> {
  const entry = await db.waitingListEntry.findUnique({
    where: { token },
    select: {
      id: true,
      editionId: true,
      name: true,
      email: true,
      locale: true,
      seatsWanted: true,
      offers: {
        where: { status: "OFFERED" },
        select: { id: true, ticketTypeId: true, seats: true, expiresAt: true },
      },
    },
  });
  const offer = entry?.editionId === editionId ? entry.offers[0] : undefined;
  if (!entry || !offer?.expiresAt) return null;
  const { id, name, email, locale, seatsWanted } = entry;
  return { entry: { id, name, email, locale, seatsWanted }, offer: { ...offer, expiresAt: offer.expiresAt } };
}

/**
 * What an offer's link opens on the registration page at `now`: the live offer, or why not. `entryPage`: the token is
 * one of this edition's entries, whose private page says what became of it (lapsed, declined, converted); a token
 * that is no entry's (forged, mistyped, another edition's) names nothing to link to.
 */
export type OfferLink =
  | { open: true; held: HeldOffer }
  | {
      open: false;
      entryPage: boolean;
      /** The entry registered with its offer: its link, opened again, says so rather than "no longer open". */
      converted: boolean;
    };

export async function openOfferLink(db: Db, editionId: string, token: string, now: Date): Promise<OfferLink> {
  const held = await loadOffer(db, editionId, token);
  if (held && held.offer.expiresAt > now) return { open: true, held };
  const entry = await db.waitingListEntry.findUnique({ where: { token }, select: { editionId: true, status: true } });
  const ours = entry?.editionId === editionId;
  return { open: false, entryPage: ours, converted: ours && entry.status === "CONVERTED" };
}
