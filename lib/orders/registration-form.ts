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
  | "too_many_unpaid_holds";

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

/**
 * Turns the form's flat fields ("attendee.email", "answers.tshirt") into the request shape the
 * JSON API takes, so both go through the same validation in registerAttendee.
 */
export function registrationRequestFromForm(formData: FormData, locale: string) {
  const values = formFieldsSchema.parse(Object.fromEntries(formData));
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(values)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
  return {
    values,
    request: { ticketType: values.ticketType, attendee: pick("attendee."), answers: pick("answers."), locale },
  };
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
