import { describe, expect, it, vi } from "vitest";
import { hotPool, type Db } from "@/lib/db/prisma";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEditionCache, invalidateEdition } from "./edition-cache";

const { db } = await useTestDatabase(4);

// A clock the test moves by hand: the cache's TTL is 5 s, as by default.
function fakeClock() {
  let now = Date.parse("2026-12-01T09:00:00Z");
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("the edition cache", () => {
  it("can only refuse on a stale price: the claim re-checks it, the request is retried on a fresh read", async () => {
    const clock = fakeClock();
    const editions = createEditionCache({ seconds: 5, clock: clock.now });
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 1000 }] });
    const first = await registerAttendee(db, edition.slug, attendeeRequest("paid", 1), { holdMinutes: 35, editions });
    expect(first.ok && first.order.amountCents).toBe(1000);

    // Another instance's edit: this one's cache still says 10 €.
    await db.ticketType.updateMany({ where: { editionId: edition.id }, data: { priceCents: 2000 } });
    clock.advance(1);
    const second = await registerAttendee(db, edition.slug, attendeeRequest("paid", 2), { holdMinutes: 35, editions });
    expect(second.ok && second.order.amountCents).toBe(2000);
    const prices = await db.ticket.findMany({ where: { editionId: edition.id }, orderBy: { position: "asc" } });
    expect(prices.map((ticket) => ticket.priceCents).sort()).toEqual([1000, 2000]);
  });

  it("never sells a ticket type closed since it was cached", async () => {
    const clock = fakeClock();
    const editions = createEditionCache({ seconds: 5, clock: clock.now });
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "early" }] });
    expect(
      (await registerAttendee(db, edition.slug, attendeeRequest("early", 1), { holdMinutes: 35, editions })).ok,
    ).toBe(true);

    await db.ticketType.updateMany({
      where: { editionId: edition.id },
      data: { salesEndAt: new Date(Date.now() - 1000) },
    });
    clock.advance(1);
    const late = await registerAttendee(db, edition.slug, attendeeRequest("early", 2), { holdMinutes: 35, editions });
    expect(late).toEqual({ ok: false, reason: "ended" });
    expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(1);
  });

  it("reads an edition once per period however many ask at once, and again once it has run out", async () => {
    const clock = fakeClock();
    const editions = createEditionCache({ seconds: 5, clock: clock.now });
    const edition = await createEdition(db, { capacity: 10 });
    let reads = 0;
    // The real client, counting what reaches it.
    const counting = {
      edition: {
        findUnique: (args: Parameters<Db["edition"]["findUnique"]>[0]) => {
          reads += 1;
          return db.edition.findUnique(args);
        },
      },
    } as unknown as Db;

    const found = await Promise.all(Array.from({ length: 100 }, () => editions.edition(counting, edition.slug)));
    expect(new Set(found.map((row) => row?.id))).toEqual(new Set([edition.id]));
    expect(reads).toBe(1);
    clock.advance(4.9);
    await editions.edition(counting, edition.slug);
    expect(reads).toBe(1);
    clock.advance(0.2);
    await editions.edition(counting, edition.slug);
    expect(reads).toBe(2);
  });

  it("sees an edit made in this instance at once", async () => {
    const clock = fakeClock();
    const editions = createEditionCache({ seconds: 5, clock: clock.now });
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "std", priceCents: 500 }] });
    expect((await editions.edition(db, edition.slug))?.ticketTypes[0].priceCents).toBe(500);

    await db.ticketType.updateMany({ where: { editionId: edition.id }, data: { priceCents: 700 } });
    invalidateEdition(edition.id);
    expect((await editions.edition(db, edition.slug))?.ticketTypes[0].priceCents).toBe(700);
  });

  it("remembers an unknown slug for a second only", async () => {
    const clock = fakeClock();
    const editions = createEditionCache({ seconds: 5, clock: clock.now });
    const slug = `later-${Date.now()}`;
    expect(await editions.edition(db, slug)).toBeNull();
    const edition = await createEdition(db, { capacity: 10 });
    await db.edition.update({ where: { id: edition.id }, data: { slug } });
    expect(await editions.edition(db, slug)).toBeNull();
    clock.advance(1);
    expect((await editions.edition(db, slug))?.id).toBe(edition.id);
  });

  it("spares the counters' read far from sold out, reads them near it; a stale reading never oversells", async () => {
    const clock = fakeClock();
    const editions = createEditionCache({ seconds: 5, clock: clock.now });
    const edition = await createEdition(db, { capacity: 52 });
    // The real pool, counting the counters' reads that reach it.
    const query = vi.spyOn(hotPool(db), "query");
    const counterReads = () =>
      query.mock.calls.filter(([text]) => typeof text === "string" && text.includes('FROM "EditionSeats" s')).length;
    const register = (n: number) =>
      registerAttendee(db, edition.slug, attendeeRequest("free", n), { holdMinutes: 35, editions });
    try {
      expect((await register(1)).ok).toBe(true);
      expect(counterReads()).toBe(1);
      // 52 left when read; this seat, the one placed since and 50 to spare: the reading of a moment ago is enough.
      expect((await register(2)).ok).toBe(true);
      expect(counterReads()).toBe(1);
      expect(editions.seatReading(edition.id)?.placedSince).toBe(2);
      // Half a second on, it is read again, and from now on (50 left, too close) at every registration.
      clock.advance(0.5);
      expect((await register(3)).ok).toBe(true);
      expect((await register(4)).ok).toBe(true);
      expect(counterReads()).toBe(3);

      // Another instance sells the rest while this one still holds a reading of an empty edition.
      clock.advance(0.5);
      expect((await register(5)).ok).toBe(true);
      const other = createEditionCache({ seconds: 0 });
      for (let n = 6; n <= 52; n++) {
        expect(
          (await registerAttendee(db, edition.slug, attendeeRequest("free", n), { holdMinutes: 35, editions: other }))
            .ok,
        ).toBe(true);
      }
      editions.noteReading(edition.id, { confirmed: 0, held: 0, reserved: 0, byTicketType: new Map() });
      const late = await register(53);
      expect(late).toMatchObject({ ok: false, reason: "sold_out", left: 0 });
      // The claim found it full: the reading is forgotten, and the next latecomer is answered from the counters.
      expect(editions.seatReading(edition.id)).toBeNull();
      const reads = counterReads();
      expect(await register(54)).toMatchObject({ ok: false, reason: "sold_out", left: 0 });
      expect(counterReads()).toBe(reads + 1);
      expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(52);
    } finally {
      query.mockRestore();
    }
  });
});
