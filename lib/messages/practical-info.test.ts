import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { practicalInfoDue } from "./practical-info";

const { db } = await useTestDatabase();

describe("when the practical information is due", () => {
  it("is the same in TypeScript as in the sweep's SQL, across changes of summer and winter time", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const cases: [string, string, number | null, string][] = [
      ["2027-05-20T07:00:00Z", "Europe/Paris", 2, "10:00"],
      // The start is on summer time, the reminder day on winter time (Paris changes on 28 March 2027).
      ["2027-03-29T07:00:00Z", "Europe/Paris", 3, "10:00"],
      ["2027-11-01T08:00:00Z", "Europe/Paris", 3, "09:30"],
      // Times the zone skips (spring forward) or repeats (fall back) on the reminder's day.
      ["2027-03-30T07:00:00Z", "Europe/Paris", 2, "02:30"],
      ["2027-11-01T08:00:00Z", "Europe/Paris", 1, "02:30"],
      ["2027-03-16T14:00:00Z", "America/New_York", 2, "02:15"],
      // The start's day in its zone is not its UTC day.
      ["2027-06-01T23:30:00Z", "Asia/Tokyo", 1, "23:59"],
      ["2027-06-01T02:00:00Z", "America/Los_Angeles", 30, "00:00"],
      ["2027-06-01T02:00:00Z", "Europe/Paris", null, "10:00"],
    ];
    for (const [startsAt, timeZone, practicalInfoDays, practicalInfoTime] of cases) {
      const row = await db.edition.update({
        where: { id: edition.id },
        data: {
          startsAt: new Date(startsAt),
          endsAt: new Date(Date.parse(startsAt) + 3_600_000),
          timeZone,
          practicalInfoDays,
          practicalInfoTime,
        },
      });
      const [{ due }] = await db.$queryRaw<{ due: Date | null }[]>`
        SELECT guichet_practical_info_due(e) AS due FROM "Edition" e WHERE e.id = ${edition.id}::uuid`;
      expect(practicalInfoDue(row), `${startsAt} ${timeZone} ${practicalInfoDays} ${practicalInfoTime}`).toEqual(due);
    }
    expect(
      practicalInfoDue({
        startsAt: new Date("2027-05-20T07:00:00Z"),
        timeZone: "Europe/Paris",
        practicalInfoDays: 2,
        practicalInfoTime: "10:00",
      }),
    ).toEqual(new Date("2027-05-18T08:00:00Z"));
  });
});
