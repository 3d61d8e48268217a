import type { EditionOffer, TicketTypeOffer } from "./queries";

// As the join (lib/waitlist/join.ts) and the offers: nothing is offered within 2 h of the start, nobody joins.
const CLOSES_BEFORE_START_MS = 2 * 3_600_000;

/** A listed type the public can no longer buy for want of seats: the waiting list is for it. */
export const soldOutForList = (type: Pick<TicketTypeOffer, "saleState" | "seatsLeft">) =>
  type.saleState === "on_sale" && type.seatsLeft === 0;

/** A type one may wait for: on sale (a type whose sale ended, or has not begun, is never offered). */
export const waitableForList = (type: Pick<TicketTypeOffer, "saleState">) => type.saleState === "on_sale";

/**
 * Whether the edition's page offers the waiting list (and the public JSON says `waitingList.open`): the organiser
 * keeps it open, the edition is OPEN, the start is more than 2 h away and a listed type on sale has no seat left.
 * The join decides for the seats and types asked (a group may wait while single seats are left).
 */
export function waitingListOpen({ edition, ticketTypes }: Pick<EditionOffer, "edition" | "ticketTypes">, now: Date) {
  return (
    edition.waitingListOpen &&
    edition.status === "OPEN" &&
    edition.startsAt.getTime() - now.getTime() > CLOSES_BEFORE_START_MS &&
    ticketTypes.some(soldOutForList)
  );
}
