import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { cumulativeAt, getGrowth } from "./growth";

const { db } = await useTestDatabase();

async function register(slug: string, email: string, confirmedAt?: string) {
  const name = email.split("@")[0];
  const request = { ticketType: "free", attendee: { firstName: name, lastName: "Test", email }, locale: "fr" };
  const result = await registerAttendee(db, slug, request, { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  if (confirmedAt)
    await db.order.update({ where: { id: result.order.id }, data: { confirmedAt: new Date(confirmedAt) } });
  return db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
}

describe("the conference's growth across editions", () => {
  it("counts returning attendees by email across past editions, aligns curves on days before each event", async () => {
    const earlier = await createEdition(db, { capacity: 10 });
    const later = await createEdition(db, { capacity: 10 });
    const draft = await createEdition(db, { capacity: 10 });

    await register(earlier.slug, "ada@example.org");
    const bob = await register(earlier.slug, "bob@example.org");
    const carol = await register(earlier.slug, "carol@example.org");
    await db.ticket.update({ where: { id: carol.id }, data: { status: "CANCELLED" } });
    await db.ticket.update({ where: { id: bob.id }, data: { checkedInAt: new Date("2026-05-20T08:00:00Z") } });

    // The later edition starts at 09:00 Paris time on 20 May 2027.
    await register(later.slug, "ADA@example.org", "2027-04-20T10:00:00Z");
    await register(later.slug, "carol@example.org", "2027-05-13T10:00:00Z");
    // 01:30 on the event's own day in Paris, still the 19th in UTC.
    await register(later.slug, "dave@example.org", "2027-05-19T23:30:00Z");
    // A draft edition that started even earlier does not make anybody "returning".
    await register(draft.slug, "dave@example.org");

    await db.edition.update({
      where: { id: earlier.id },
      data: { startsAt: new Date("2026-05-20T07:00:00Z"), endsAt: new Date("2026-05-20T16:00:00Z"), status: "CLOSED" },
    });
    await db.edition.update({
      where: { id: draft.id },
      data: { startsAt: new Date("2025-05-20T07:00:00Z"), endsAt: new Date("2025-05-20T16:00:00Z"), status: "DRAFT" },
    });

    const growth = await getGrowth(db, new Date("2026-11-25T12:00:00Z"));
    expect(growth.map((edition) => edition.slug)).toEqual([earlier.slug, later.slug]);
    const [first, second] = growth;

    expect(first).toMatchObject({
      registrations: 2,
      checkedIn: 1,
      checkInRate: 0.5,
      attendees: 2,
      returning: 0,
      newcomers: 2,
    });
    // Ada comes back (whatever the case of her address); Carol's earlier ticket was cancelled, so she is new.
    expect(second).toMatchObject({
      registrations: 3,
      checkedIn: 0,
      checkInRate: null,
      attendees: 3,
      returning: 1,
      newcomers: 2,
    });
    expect(second.ticketTypes).toEqual([{ code: "free", nameFr: "free", nameEn: "free", confirmed: 3 }]);

    expect(second.curve).toEqual([
      { daysBefore: 30, cumulative: 1 },
      { daysBefore: 7, cumulative: 2 },
      { daysBefore: 0, cumulative: 3 },
    ]);
    expect([60, 30, 14, 7, 1, 0].map((days) => cumulativeAt(second.curve, days))).toEqual([0, 1, 1, 2, 2, 3]);
  });
});
