import { describe, expect, it } from "vitest";
import { placeOrder } from "@/lib/orders/register";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { waitingListFigures } from "@/lib/waitlist/admin";
import { getEditionDashboard } from "./dashboard";

const { db } = await useTestDatabase();

describe("an edition's dashboard with group orders", () => {
  it("counts a team's order once, and gives each ticket type the price of its own tickets", async () => {
    const edition = await createEdition(db, {
      capacity: 20,
      ticketTypes: [
        { code: "standard", priceCents: 4900 },
        { code: "student", priceCents: 1500 },
      ],
    });
    const [standard, student] = edition.ticketTypes;
    const attendee = (n: number) => ({
      firstName: "Ada",
      lastName: `N${n}`,
      email: `n${n}@example.org`,
      company: null,
    });
    const tickets = [standard, standard, student].map((ticketType, n) => ({
      ticketType,
      attendee: attendee(n),
      answers: {},
      priceCents: ticketType.priceCents,
    }));
    const buyer = { firstName: "Grace", lastName: "Hopper", email: "grace@example.org", company: "Navy" };
    // Confirmed as a paid order would be once the webhook has run (amountCents is the tickets' sum).
    const placed = await placeOrder(db, {
      edition,
      buyer,
      tickets,
      locale: "en",
      holdExpiresAt: null,
      now: new Date(),
    });
    expect(placed.ok).toBe(true);
    const dashboard = await getEditionDashboard(db, edition);
    expect(dashboard).toMatchObject({ confirmed: 3, confirmedOrders: 1, grossCents: 11300, netCents: 11300 });
    const net = Object.fromEntries(dashboard.ticketTypes.map((type) => [type.code, type.netCents]));
    expect(net).toEqual({ standard: 9800, student: 1500 });
  });
});

describe("an edition's dashboard with a waiting list", () => {
  it("carries the list's figures, from the one query the waiting-list tab uses", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    expect((await getEditionDashboard(db, edition)).waitingList).toMatchObject({ entries: { WAITING: 0 } });
    await addTestEntry(db, edition, { seats: 3 });
    expect((await getEditionDashboard(db, edition)).waitingList).toEqual(await waitingListFigures(db, edition.id));
    expect((await getEditionDashboard(db, edition)).waitingList).toMatchObject({
      entries: { WAITING: 1 },
      waitingSeats: 3,
      conversionRate: null,
    });
  });

  it("tells seats offered to the waiting list apart from blocks' reserved seats", async () => {
    const edition = await createEdition(db, { capacity: 4, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
    await db.seatAllocation.create({
      data: { editionId: edition.id, name: "Sponsor", seats: 1, releaseAt: new Date(Date.now() + 86_400_000) },
    });
    const holds = [await holdSeats(db, edition, 2), await holdSeats(db, edition)];
    await addTestEntry(db, edition, { seats: 2 });
    // The 2-seat hold lapses: its seats are offered to the entry, in the same transaction.
    await lapseHolds(db, holds.slice(0, 1));
    expect(await getEditionDashboard(db, edition)).toMatchObject({ held: 1, reserved: 1, offered: 2, left: 0 });
  });
});
