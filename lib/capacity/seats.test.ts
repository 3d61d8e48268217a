import { describe, expect, it } from "vitest";
import { seatsLeft, type SeatUsage } from "./seats";

function usage(byType: Record<string, [confirmed: number, held: number]>): SeatUsage {
  const byTicketType = new Map(Object.entries(byType).map(([id, [confirmed, held]]) => [id, { confirmed, held }]));
  const total = [...byTicketType.values()].reduce(
    (sum, c) => ({ confirmed: sum.confirmed + c.confirmed, held: sum.held + c.held }),
    { confirmed: 0, held: 0 },
  );
  return { ...total, byTicketType };
}

describe("seatsLeft", () => {
  it("counts held seats as taken", () => {
    expect(seatsLeft({ capacity: 10 }, { id: "a", quota: null }, usage({ a: [3, 2] }))).toBe(5);
  });
  it("is capped by the ticket type's quota", () => {
    expect(seatsLeft({ capacity: 100 }, { id: "a", quota: 5 }, usage({ a: [4, 0], b: [50, 0] }))).toBe(1);
  });
  it("is capped by the edition's room, whatever the quota", () => {
    expect(seatsLeft({ capacity: 10 }, { id: "a", quota: 50 }, usage({ a: [1, 0], b: [8, 0] }))).toBe(1);
  });
  it("never goes below zero, even after capacity was lowered", () => {
    expect(seatsLeft({ capacity: 5 }, { id: "a", quota: null }, usage({ a: [7, 0] }))).toBe(0);
  });
});
