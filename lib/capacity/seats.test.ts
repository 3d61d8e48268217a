import { describe, expect, it } from "vitest";
import { seatsLeft, type SeatUsage } from "./seats";

function usage(
  byType: Record<string, [confirmed: number, held: number, reserved?: number]>,
  blocksWithoutType = 0,
): SeatUsage {
  const byTicketType = new Map(
    Object.entries(byType).map(([id, [confirmed, held, reserved = 0]]) => [id, { confirmed, held, reserved }]),
  );
  const total = [...byTicketType.values()].reduce(
    (sum, c) => ({
      confirmed: sum.confirmed + c.confirmed,
      held: sum.held + c.held,
      reserved: sum.reserved + c.reserved,
    }),
    { confirmed: 0, held: 0, reserved: blocksWithoutType },
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
  it("never counts a seat kept for a block as free, in the edition or in the block's type", () => {
    expect(seatsLeft({ capacity: 10 }, { id: "a", quota: null }, usage({ a: [3, 0] }, 4))).toBe(3);
    expect(seatsLeft({ capacity: 100 }, { id: "a", quota: 10 }, usage({ a: [3, 1, 5] }))).toBe(1);
  });
  it("never goes below zero, even after capacity was lowered", () => {
    expect(seatsLeft({ capacity: 5 }, { id: "a", quota: null }, usage({ a: [7, 0] }))).toBe(0);
  });
});
