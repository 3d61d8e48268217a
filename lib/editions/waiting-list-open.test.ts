import { describe, expect, it } from "vitest";
import { waitingListOpen } from "./waiting-list-open";

const now = new Date("2027-05-01T10:00:00Z");
const edition = { waitingListOpen: true, status: "OPEN", startsAt: new Date("2027-05-20T07:00:00Z") } as const;
const soldOut = { saleState: "on_sale", seatsLeft: 0 } as const;
const offer = (overrides: object = {}, types: object[] = [soldOut]) =>
  ({ edition: { ...edition, ...overrides }, ticketTypes: types }) as unknown as Parameters<typeof waitingListOpen>[0];

describe("waitingListOpen", () => {
  it("is open once a listed type on sale has no seat left", () => {
    expect(waitingListOpen(offer(), now)).toBe(true);
    expect(waitingListOpen(offer({}, [{ saleState: "on_sale", seatsLeft: 1 }, soldOut]), now)).toBe(true);
    expect(waitingListOpen(offer({}, [{ saleState: "on_sale", seatsLeft: 1 }]), now)).toBe(false);
    expect(waitingListOpen(offer({}, [{ saleState: "ended", seatsLeft: 0 }]), now)).toBe(false);
  });

  it("is closed by the organiser, outside an OPEN edition and within 2 h of the start", () => {
    expect(waitingListOpen(offer({ waitingListOpen: false }), now)).toBe(false);
    expect(waitingListOpen(offer({ status: "CLOSED" }), now)).toBe(false);
    const start = edition.startsAt.getTime();
    expect(waitingListOpen(offer(), new Date(start - 2 * 3_600_000))).toBe(false);
    expect(waitingListOpen(offer(), new Date(start - 2 * 3_600_000 - 1))).toBe(true);
  });
});
