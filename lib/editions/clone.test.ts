import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { cloneEdition } from "./manage";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };
const paris = (date: Date | null) => (date ? utcToZonedLocal(date, "Europe/Paris") : null);

describe("cloning an edition for the next date", () => {
  it("moves the dates, the deadlines and every sales window with the new start, and keeps the door staff", async () => {
    // 20 May 2027, 09:00-18:00 Paris time; early bird until 31 March, edits until the 18th, refunds until the 10th.
    const source = await createEdition(db, {
      capacity: 10,
      ticketTypes: [
        { code: "early", salesEndAt: new Date("2027-03-31T21:59:00Z") },
        { code: "standard", salesStartAt: new Date("2027-01-10T08:00:00Z") },
      ],
    });
    await db.edition.update({
      where: { id: source.id },
      data: {
        editDeadline: new Date("2027-05-18T21:59:00Z"),
        refundDeadline: new Date("2027-05-10T21:59:00Z"),
        retentionMonths: 18,
        anonymisedAt: new Date("2028-11-20T00:00:00Z"),
      },
    });
    const staff = await db.user.create({ data: { email: `door-${source.slug}@example.org`, role: "CHECKIN_STAFF" } });
    await db.editionStaff.create({ data: { editionId: source.id, userId: staff.id } });

    const result = await cloneEdition(db, actor, source.id, {
      slug: `${source.slug}-autumn`,
      nameFr: "Automne",
      nameEn: "Autumn",
      startsAt: "2027-11-18T09:00",
    });
    if (!result.ok) throw new Error(result.reason);
    const copy = await db.edition.findUniqueOrThrow({
      where: { id: result.edition.id },
      include: { ticketTypes: { orderBy: { position: "asc" } }, staff: true },
    });
    // Its retention period comes along; the source's anonymisation does not (the clone's attendees are its own).
    expect(copy).toMatchObject({ retentionMonths: 18, anonymisedAt: null });
    // 182 days later on the calendar, each at the same time on Paris clocks although summer time has ended.
    expect([copy.startsAt, copy.endsAt, copy.editDeadline, copy.refundDeadline].map(paris)).toEqual([
      "2027-11-18T09:00",
      "2027-11-18T18:00",
      "2027-11-16T23:59",
      "2027-11-08T23:59",
    ]);
    expect(copy.ticketTypes.map((type) => [type.code, paris(type.salesStartAt), paris(type.salesEndAt)])).toEqual([
      ["early", null, "2027-09-29T23:59"],
      ["standard", "2027-07-11T09:00", null],
    ]);
    expect(copy.staff.map((assignment) => assignment.userId)).toEqual([staff.id]);
    expect(copy.status).toBe("DRAFT");
  });

  it("asks for the new start and refuses one that does not exist in the edition's zone", async () => {
    const source = await createEdition(db, { capacity: 10 });
    const names = { slug: `${source.slug}-next`, nameFr: "Suivante", nameEn: "Next" };
    expect(await cloneEdition(db, actor, source.id, names)).toMatchObject({
      ok: false,
      fieldErrors: { startsAt: ["required"] },
    });
    // 02:30 on 28 March 2027 is skipped in Paris (clocks go from 02:00 to 03:00).
    expect(await cloneEdition(db, actor, source.id, { ...names, startsAt: "2027-03-28T02:30" })).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { startsAt: ["invalid_date"] },
    });
    expect(await db.edition.count({ where: { slug: names.slug } })).toBe(0);
  });
});
