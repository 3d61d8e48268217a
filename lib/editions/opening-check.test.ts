import { describe, expect, it } from "vitest";
import { openingWarnings } from "./opening-check";

const now = new Date("2027-04-01T10:00:00Z");
const ready = {
  startsAt: new Date("2027-05-20T07:00:00Z"),
  editDeadline: null,
  refundDeadline: new Date("2027-05-10T21:59:00Z"),
  ticketTypes: [{ code: "standard", active: true, salesEndAt: null }],
  staffCount: 1,
};

describe("warnings before opening registration", () => {
  it("has nothing to say about an edition that is ready", () => {
    expect(openingWarnings(ready, now)).toEqual([]);
  });

  it("points out the slips a clone carries from the previous edition", () => {
    const stale = {
      startsAt: new Date("2027-03-01T08:00:00Z"),
      editDeadline: new Date("2027-02-20T22:59:00Z"),
      refundDeadline: null,
      ticketTypes: [
        { code: "early", active: true, salesEndAt: new Date("2027-01-31T22:59:00Z") },
        { code: "standard", active: true, salesEndAt: null },
        { code: "old", active: false, salesEndAt: new Date("2026-01-01T00:00:00Z") },
      ],
      staffCount: 0,
    };
    expect(openingWarnings(stale, now)).toEqual([
      { code: "starts_in_past" },
      { code: "sales_ended", ticketTypes: ["early"] },
      { code: "no_door_staff" },
    ]);
    const later = { ...stale, startsAt: new Date("2027-06-01T07:00:00Z") };
    expect(openingWarnings(later, now)).toContainEqual({ code: "deadline_passed", deadline: "editDeadline" });
  });

  it("says so when no ticket can be bought at all", () => {
    const closedWindows = {
      ...ready,
      ticketTypes: [{ code: "early", active: true, salesEndAt: new Date("2027-03-01T00:00:00Z") }],
    };
    expect(openingWarnings(closedWindows, now)).toEqual([{ code: "nothing_on_sale" }]);
    expect(openingWarnings({ ...ready, ticketTypes: [] }, now)).toEqual([{ code: "nothing_on_sale" }]);
  });
});
