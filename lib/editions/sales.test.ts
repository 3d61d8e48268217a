import { describe, expect, it } from "vitest";
import { saleState } from "./sales";

const now = new Date("2027-01-10T10:00:00Z");
const open = { status: "OPEN" as const };
const always = { active: true, salesStartAt: null, salesEndAt: null };

describe("saleState", () => {
  it("is on sale inside the window, including its first instant", () => {
    expect(saleState(open, always, now)).toBe("on_sale");
    expect(saleState(open, { ...always, salesStartAt: now, salesEndAt: new Date("2027-01-11T00:00:00Z") }, now)).toBe(
      "on_sale",
    );
  });
  it("has not started before the window and has ended at its end", () => {
    expect(saleState(open, { ...always, salesStartAt: new Date("2027-01-10T10:00:01Z") }, now)).toBe("not_started");
    expect(saleState(open, { ...always, salesEndAt: now }, now)).toBe("ended");
  });
  it("follows the edition and the ticket type's switch first", () => {
    expect(saleState({ status: "CLOSED" }, always, now)).toBe("edition_closed");
    expect(saleState({ status: "DRAFT" }, always, now)).toBe("unavailable");
    expect(saleState(open, { ...always, active: false }, now)).toBe("unavailable");
  });
});
