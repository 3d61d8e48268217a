import type { CodeRefusalReason } from "@/lib/vouchers/redeem";

import { z } from "zod";

export type RegistrationRefusalReason =
  | "invalid"
  | "sold_out"
  | "already_registered"
  | "edition_closed"
  | "not_started"
  | "ended"
  | "not_found"
  | "rate_limited"
  | "challenge_failed"
  | "too_many_unpaid_holds"
  | "offer_unavailable"
  | CodeRefusalReason;

// Only text fields come from this form; a file or anything else hand-crafted is dropped, not trusted.
// The proof-of-work payload is spent by the attempt: it is never sent back to refill the form.
const formFieldsSchema = z
  .record(z.string(), z.unknown())
  .transform((fields) =>
    Object.fromEntries(
      Object.entries(fields).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "altcha",
      ),
    ),
  );

/** `tickets.<n>.<field>` in a group order's form: one block of fields per ticket. */
const TICKET_FIELD = /^tickets\.(\d{1,3})\.(.+)$/;

/** The fields under `prefix`, without it. */
function fieldsUnder(fields: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/**
 * Turns the form's flat fields ("attendee.email", "answers.tshirt") into the request shape the
 * JSON API takes, so both go through the same validation in registerAttendee.
 */
export function registrationRequestFromForm(formData: FormData, locale: string) {
  const values = formFieldsSchema.parse(Object.fromEntries(formData));
  return {
    values,
    request: {
      ticketType: values.ticketType,
      attendee: fieldsUnder(values, "attendee."),
      answers: fieldsUnder(values, "answers."),
      locale,
      code: values.code,
    },
  };
}

/**
 * The registration page's request: one attendee's (see registrationRequestFromForm), or a group's
 * from "buyer.email", "tickets.0.ticketType", "tickets.0.attendee.email", "tickets.0.answers.tshirt",
 * whose field errors then come back from registerAttendee under the very names of its fields.
 */
export function orderRequestFromForm(formData: FormData, locale: string) {
  const single = withBilling(registrationRequestFromForm(formData, locale));
  const { values } = single;
  const blocks = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(values)) {
    const match = TICKET_FIELD.exec(key);
    if (match) blocks.set(Number(match[1]), { ...blocks.get(Number(match[1])), [match[2]]: value });
  }
  if (blocks.size === 0) return single;
  const buyer = fieldsUnder(values, "buyer.");
  const tickets = [...blocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, fields]) => {
      const attendee = fieldsUnder(fields, "attendee.");
      // "I'll name this attendee later": an unnamed ticket, whatever its hidden fields still hold.
      if (fields.nameLater === "on") return { ticketType: fields.ticketType, attendee: null, answers: {} };
      return {
        ticketType: fields.ticketType,
        attendee: fields.buyerAttends === "on" ? withBuyerWhereBlank(attendee, buyer) : attendee,
        answers: fieldsUnder(fields, "answers."),
      };
    });
  const { billing, paymentMethod, code } = single.request;
  return { values, request: { buyer, tickets, locale, billing, paymentMethod, code } };
}

/**
 * "Buying for an organisation" (billing.organisation, billing.siren…): the request's `billing`, or null when its
 * fields were left empty (the country comes preset, and alone says nothing); and how the order is to be paid.
 */
function withBilling<T extends { values: Record<string, string>; request: object }>(form: T) {
  const fields = fieldsUnder(form.values, "billing.");
  const given = Object.entries(fields).some(([key, value]) => key !== "country" && value.trim() !== "");
  const paymentMethod = form.values.paymentMethod || undefined;
  return { ...form, request: { ...form.request, billing: given ? fields : null, paymentMethod } };
}

/**
 * "This is me" on a ticket: the buyer's name and email stand in for what was left blank. With
 * JavaScript the box fills the block at once; without it, the block can be left empty.
 */
function withBuyerWhereBlank(attendee: Record<string, string>, buyer: Record<string, string>) {
  const filled = { ...attendee };
  for (const field of ["firstName", "lastName", "email", "company"]) {
    if (!filled[field]?.trim() && buyer[field] !== undefined) filled[field] = buyer[field];
  }
  return filled;
}

/**
 * How many tickets of each type a visitor asked for in the page's address (`quantity.<code>=2`),
 * each kept within 0 and what one order may hold of that type; anything else counts as none.
 */
export function ticketQuantities(
  query: Record<string, string | string[] | undefined>,
  types: { code: string; max: number }[],
): Map<string, number> {
  return new Map(
    types.map(({ code, max }) => {
      const asked = query[`quantity.${code}`];
      const count = typeof asked === "string" && /^\d{1,3}$/.test(asked) ? Number(asked) : 0;
      return [code, Math.min(count, max)];
    }),
  );
}

/** A ticket's attendee fields under the form's field names (empty while the ticket is unnamed). */
export function attendeeFormValues(ticket: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
}): Record<string, string> {
  return {
    "attendee.firstName": ticket.firstName ?? "",
    "attendee.lastName": ticket.lastName ?? "",
    "attendee.email": ticket.email ?? "",
    "attendee.company": ticket.company ?? "",
  };
}

/** Stored answers under the form's field names; a ticked checkbox is "on", as a browser sends it. */
export function answerFormValues(answers: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((answers ?? {}) as Record<string, string | boolean>).map(([key, value]) => [
      `answers.${key}`,
      value === true ? "on" : String(value),
    ]),
  );
}

/**
 * A group order under the group form's field names, to refill it (back from a cancelled payment):
 * the buyer, then each ticket by position; "this is me" ticked where the first attendee is the buyer.
 */
export function groupOrderFormValues(order: {
  buyerFirstName: string;
  buyerLastName: string;
  buyerEmail: string;
  buyerCompany: string | null;
  tickets: (Parameters<typeof attendeeFormValues>[0] & { position: number; answers: unknown })[];
}): Record<string, string> {
  const tickets = [...order.tickets].sort((a, b) => a.position - b.position);
  const values: Record<string, string> = {
    "buyer.firstName": order.buyerFirstName,
    "buyer.lastName": order.buyerLastName,
    "buyer.email": order.buyerEmail,
    "buyer.company": order.buyerCompany ?? "",
  };
  tickets.forEach((ticket, index) => {
    if (ticket.email === null) values[`tickets.${index}.nameLater`] = "on";
    const fields = { ...attendeeFormValues(ticket), ...answerFormValues(ticket.answers) };
    for (const [name, value] of Object.entries(fields)) values[`tickets.${index}.${name}`] = value;
  });
  if (tickets[0]?.email === order.buyerEmail) values["tickets.0.buyerAttends"] = "on";
  return values;
}

/**
 * The ticket types a sold-out answer says are short: fewer seats left (its `left.<code>` params) than
 * the order asked of them. The public group form and the back office's complimentary form both list them.
 */
export function shortTicketTypes<T extends { code: string; count: number }>(
  asked: T[],
  params: Record<string, unknown> | undefined,
): (T & { left: number })[] {
  return asked.flatMap((type) => {
    const left = params?.[`left.${type.code}`];
    return typeof left === "number" && left < type.count ? [{ ...type, left }] : [];
  });
}
