import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { ATTENDEE_SORTS, listAttendees, parseAttendeeFilter, streamAttendees } from "./query";

const { db } = await useTestDatabase();

const people = [
  { firstName: "Linus", lastName: "Torvalds", company: "Linux Foundation", type: "paid" },
  { firstName: "Jan", lastName: "Łukasiewicz", company: null, type: "free" },
  { firstName: "Émile", lastName: "Borel", company: "École normale", type: "free" },
  { firstName: "ada", lastName: "lovelace", company: "Analytical", type: "paid" },
  { firstName: "Konrad", lastName: "Zuse", company: null, type: "free" },
];

async function editionWithPeople() {
  const edition = await createEdition(db, {
    capacity: 20,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  await db.ticketType.updateMany({
    where: { editionId: edition.id, code: "free" },
    data: { nameFr: "Étudiant", nameEn: "Student" },
  });
  await db.ticketType.updateMany({
    where: { editionId: edition.id, code: "paid" },
    data: { nameFr: "Standard", nameEn: "Regular" },
  });
  for (const [index, person] of people.entries()) {
    const request = {
      ...attendeeRequest(person.type, index),
      attendee: { ...person, type: undefined, company: person.company ?? "", email: `p${index}@example.org` },
    };
    const result = await registerAttendee(db, edition.slug, request, { holdMinutes: 35 });
    if (!result.ok) throw new Error(result.reason);
    if (person.type === "paid")
      await db.order.update({ where: { id: result.order.id }, data: { status: "CONFIRMED", confirmedAt: new Date() } });
  }
  return edition;
}

const lastNames = async (editionId: string, query: Record<string, string>, locale: "fr" | "en" = "fr") =>
  (await listAttendees(db, editionId, parseAttendeeFilter(query), new Date(), locale)).rows.map((row) => row.lastName);

describe("the attendee list's order", () => {
  it("sorts names as people read them, not by code point, both ways", async () => {
    const edition = await editionWithPeople();
    expect(await lastNames(edition.id, {})).toEqual(["Borel", "lovelace", "Łukasiewicz", "Torvalds", "Zuse"]);
    expect(await lastNames(edition.id, { sort: "name", dir: "desc" })).toEqual([
      "Zuse",
      "Torvalds",
      "Łukasiewicz",
      "lovelace",
      "Borel",
    ]);
  });

  it("sorts by company with the empty ones last, by ticket type in the page's language, by amount", async () => {
    const edition = await editionWithPeople();
    expect(await lastNames(edition.id, { sort: "company" })).toEqual([
      "lovelace",
      "Borel",
      "Torvalds",
      "Łukasiewicz",
      "Zuse",
    ]);
    expect(await lastNames(edition.id, { sort: "company", dir: "desc" })).toEqual([
      "Torvalds",
      "Borel",
      "lovelace",
      "Łukasiewicz",
      "Zuse",
    ]);
    // "Étudiant" before "Standard" would be wrong in French byte order (É sorts after S).
    expect(await lastNames(edition.id, { sort: "ticketType" }, "fr")).toEqual([
      "Borel",
      "Łukasiewicz",
      "Zuse",
      "lovelace",
      "Torvalds",
    ]);
    expect(await lastNames(edition.id, { sort: "ticketType" }, "en")).toEqual([
      "lovelace",
      "Torvalds",
      "Borel",
      "Łukasiewicz",
      "Zuse",
    ]);
    expect(await lastNames(edition.id, { sort: "amount", dir: "desc" })).toEqual([
      "lovelace",
      "Torvalds",
      "Borel",
      "Łukasiewicz",
      "Zuse",
    ]);
  });

  it("streams every row once in the list's order, whatever the batch size and the sort", async () => {
    const edition = await editionWithPeople();
    await db.ticket.updateMany({
      where: { editionId: edition.id, lastName: { in: ["Zuse", "Borel"] } },
      data: { checkedInAt: new Date() },
    });
    for (const sort of ATTENDEE_SORTS) {
      for (const dir of ["asc", "desc"]) {
        const filter = parseAttendeeFilter({ sort, dir });
        const listed = await lastNames(edition.id, { sort, dir });
        const streamed: string[] = [];
        for await (const row of streamAttendees(db, edition.id, filter, { batchSize: 2 })) streamed.push(row.lastName!);
        expect(streamed, `${sort} ${dir}`).toEqual(listed);
      }
    }
    expect((await lastNames(edition.id, { sort: "checkedInAt", dir: "desc" })).slice(0, 2)).toEqual(["Borel", "Zuse"]);
    expect((await lastNames(edition.id, { sort: "checkedInAt" })).slice(2)).toEqual([
      "lovelace",
      "Łukasiewicz",
      "Torvalds",
    ]);
  });

  it("hides abandoned checkouts unless asked, or unless a status is chosen", async () => {
    const edition = await createEdition(db, { capacity: 20, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const placed = [];
    for (const n of ["paid", "back", "lapsed", "held", "refused"]) {
      const result = await registerAttendee(db, edition.slug, attendeeRequest("paid", n), { holdMinutes: 35 });
      if (!result.ok) throw new Error(result.reason);
      placed.push(result.order);
    }
    const [paid, back, lapsed, , refused] = placed;
    await db.order.update({ where: { id: paid.id }, data: { status: "CONFIRMED", confirmedAt: new Date() } });
    await db.order.update({
      where: { id: back.id },
      data: { status: "CANCELLED", statusReason: "checkout_cancelled" },
    });
    await db.order.update({ where: { id: lapsed.id }, data: { holdExpiresAt: new Date(Date.now() - 60_000) } });
    await db.order.update({
      where: { id: refused.id },
      data: { status: "CANCELLED", statusReason: "organiser_cancelled", confirmedAt: new Date() },
    });

    expect((await lastNames(edition.id, {})).sort()).toEqual(["Lovelace held", "Lovelace paid", "Lovelace refused"]);
    expect(await lastNames(edition.id, { abandoned: "show" })).toHaveLength(5);
    expect(await lastNames(edition.id, { status: "cancelled" })).toEqual(["Lovelace back", "Lovelace refused"]);
    expect(await lastNames(edition.id, { status: "expired" })).toEqual(["Lovelace lapsed"]);
    const streamed = [];
    for await (const row of streamAttendees(db, edition.id, parseAttendeeFilter({}))) streamed.push(row.lastName);
    expect(streamed).toEqual(["Lovelace held", "Lovelace paid", "Lovelace refused"]);
  });
});
