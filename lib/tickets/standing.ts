/**
 * Whether a ticket gets in, and why not: the one door rule the scanner, the offline snapshot, the
 * attendee's page and the back office all read. A refund is named before a cancellation (a refunded
 * order's tickets are voided too), and a code is judged only once its ticket stands.
 */
export type Standing = "valid" | "cancelled" | "refunded" | "unpaid" | "reissued";
/** What the ticket and order rows say, whatever code is shown. */
export type RecordStanding = Exclude<Standing, "reissued">;

type StandingTicket = { status: string };
type StandingOrder = { status: string };

export function recordStanding(ticket: StandingTicket, order: StandingOrder): RecordStanding {
  if (order.status === "REFUNDED" || ticket.status === "REFUNDED") return "refunded";
  if (ticket.status === "CANCELLED" || order.status === "CANCELLED") return "cancelled";
  return order.status === "CONFIRMED" ? "valid" : "unpaid";
}

/** A code of version `shown` stands only if it is the ticket's current one: a reissue revokes the older codes. */
export function codeStanding(recorded: RecordStanding, currentVersion: number, shown: number | undefined): Standing {
  if (recorded !== "valid") return recorded;
  return shown !== undefined && shown !== currentVersion ? "reissued" : "valid";
}

/** Whether `ticket` of `order` gets in, shown with a code of version `shown` (none for a check-in by hand). */
export function ticketStanding(
  ticket: StandingTicket & { codeVersion: number },
  order: StandingOrder,
  shown?: number,
): Standing {
  return codeStanding(recordStanding(ticket, order), ticket.codeVersion, shown);
}
