/**
 * Who a ticket is for. A buyer may leave a ticket unnamed and name its attendee later: its name and
 * email are then all null (a database check keeps them all set or all null), and whoever shows a
 * ticket's holder comes here rather than assume a name.
 */
export type Holder = { firstName: string; lastName: string; email: string };

/** "Ada Lovelace", or null while the ticket is unnamed. */
export function holderName(ticket: { firstName: string | null; lastName: string | null }): string | null {
  return ticket.firstName !== null && ticket.lastName !== null ? `${ticket.firstName} ${ticket.lastName}` : null;
}

/** Whom an unnamed ticket stands for at the door and on the buyer's page: the buyer, with their company. */
export function buyerLabel(order: { buyerFirstName: string; buyerLastName: string; buyerCompany: string | null }) {
  const name = `${order.buyerFirstName} ${order.buyerLastName}`;
  return order.buyerCompany ? `${name} (${order.buyerCompany})` : name;
}
