import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { declineOffer } from "./entries";
import { openOfferLink } from "./offer-link";

// What the registration page shows for an offer's link (app/[locale]/editions/[slug]/register/offer-registration.tsx).
const { db } = await useTestDatabase();

/** A sold-out edition whose held seats lapse: the entry (asking for `seats`) is offered them. */
async function offered(seats = 2) {
  const edition = await createEdition(db, { capacity: seats, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await holdSeats(db, edition, seats);
  const entry = await addTestEntry(db, edition, { seats, name: "Grace Brewster Hopper" });
  await lapseHolds(db, [held]);
  const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: entry.id } });
  return { edition, entry, offer };
}

describe("an offer's link on the registration page", () => {
  it("opens the live offer: who it is for, which type, how many seats, until when", async () => {
    const { edition, entry, offer } = await offered();
    expect(offer.status).toBe("OFFERED");
    expect(await openOfferLink(db, edition.id, entry.token, new Date())).toEqual({
      open: true,
      held: {
        entry: { id: entry.id, name: "Grace Brewster Hopper", email: entry.email, locale: "en", seatsWanted: 2 },
        offer: { id: offer.id, ticketTypeId: edition.ticketTypes[0].id, seats: 2, expiresAt: offer.expiresAt },
      },
    });
  });

  it("is closed past the offer's deadline, before the sweep lapses it, and points to the entry's page", async () => {
    const { edition, entry, offer } = await offered(1);
    const after = new Date(offer.expiresAt!.getTime() + 1000);
    expect(await openOfferLink(db, edition.id, entry.token, after)).toEqual({
      open: false,
      entryPage: true,
      converted: false,
    });
  });

  it("is closed once the offer was declined, and points to the entry's page", async () => {
    const { edition, entry } = await offered(1);
    expect(await declineOffer(db, entry.token)).toMatchObject({ ok: true, closed: true });
    expect(await openOfferLink(db, edition.id, entry.token, new Date())).toEqual({
      open: false,
      entryPage: true,
      converted: false,
    });
  });

  it("names no entry for a forged token, or another edition's entry", async () => {
    const { edition, entry } = await offered(1);
    const other = await createEdition(db, { capacity: 1 });
    expect(await openOfferLink(db, edition.id, "forged-token", new Date())).toEqual({
      open: false,
      entryPage: false,
      converted: false,
    });
    expect(await openOfferLink(db, other.id, entry.token, new Date())).toEqual({
      open: false,
      entryPage: false,
      converted: false,
    });
  });
});
