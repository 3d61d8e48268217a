export type SaleState = "on_sale" | "not_started" | "ended" | "edition_closed" | "unavailable";

type EditionForSale = { status: "DRAFT" | "OPEN" | "CLOSED" };
type TicketTypeForSale = { active: boolean; salesStartAt: Date | null; salesEndAt: Date | null };

/** Whether a ticket type can be bought at `now`; seat availability is a separate question. */
export function saleState(edition: EditionForSale, ticketType: TicketTypeForSale, now: Date): SaleState {
  if (edition.status !== "OPEN") return edition.status === "CLOSED" ? "edition_closed" : "unavailable";
  if (!ticketType.active) return "unavailable";
  if (ticketType.salesStartAt && now < ticketType.salesStartAt) return "not_started";
  if (ticketType.salesEndAt && now >= ticketType.salesEndAt) return "ended";
  return "on_sale";
}
