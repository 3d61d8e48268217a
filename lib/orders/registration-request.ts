import { z } from "zod";
import { parseAnswers, type QuestionForAnswers } from "@/lib/editions/answers";
import {
  emailAddress,
  fieldErrorsOfEach,
  missingOr,
  optionalLine,
  requiredLine,
  type FieldErrors,
} from "@/lib/forms/fields";
import { locales, type Locale } from "@/lib/i18n/locales";
import { billingSchema } from "./billing";

const attendeeSchema = z.object(
  {
    firstName: requiredLine(100),
    lastName: requiredLine(100),
    email: emailAddress,
    company: optionalLine(200),
  },
  { error: missingOr("invalid_type") },
);

const answersSchema = z.record(z.string(), z.unknown(), { error: "invalid_type" }).default({});
const localeSchema = z.enum(locales, { error: "invalid_choice" }).default("fr");
// Absent or null: an individual's order, with a receipt rather than an invoice.
const orderBillingSchema = billingSchema.nullish().transform((billing) => billing ?? null);
/** How a paid order is to be paid: by card (Stripe Checkout, at once) or by bank transfer against a quote. */
const paymentMethodSchema = z.enum(["card", "transfer"], { error: "invalid_choice" }).default("card");
/** A voucher's code as the buyer typed it (absent, null or blank: none); it is looked up in the edition. */
const codeSchema = optionalLine(100);

/** One attendee's registration, the first shape of the form and the JSON API; answers are checked per edition. */
export const registrationRequestSchema = z.object(
  {
    ticketType: requiredLine(64),
    attendee: attendeeSchema,
    answers: answersSchema,
    locale: localeSchema,
    billing: orderBillingSchema,
    paymentMethod: paymentMethodSchema,
    code: codeSchema,
  },
  { error: "invalid_type" },
);

/**
 * A buyer's order of several tickets: who buys (and gets the order's emails) apart from who attends.
 * The size limits that depend on the edition are checked against it (see orderLimitErrors).
 */
export const groupRequestSchema = z.object(
  {
    buyer: attendeeSchema,
    tickets: z
      .array(
        z.object(
          // null or absent: the buyer names this ticket later, if the edition allows it (checked against it).
          { ticketType: requiredLine(64), attendee: attendeeSchema.nullish(), answers: answersSchema },
          { error: "invalid_type" },
        ),
        { error: missingOr("invalid_type") },
      )
      .min(1, { error: "required" })
      .max(100, { error: "too_many_tickets" }),
    locale: localeSchema,
    billing: orderBillingSchema,
    paymentMethod: paymentMethodSchema,
    code: codeSchema,
  },
  { error: "invalid_type" },
);

export type TicketRequest = Omit<z.infer<typeof groupRequestSchema>["tickets"][number], "attendee"> & {
  attendee: z.infer<typeof attendeeSchema> | null;
};
export type OrderRequest = Omit<z.infer<typeof groupRequestSchema>, "tickets"> & { tickets: TicketRequest[] };

/**
 * Either shape, as one order: a one-attendee request is a group of one whose buyer is the attendee,
 * and its field errors keep their one-attendee names (attendee.email, answers.tshirt). A body that
 * mixes both shapes is refused rather than guessed at.
 */
export function parseOrderRequest(
  input: unknown,
): { success: true; data: OrderRequest; single: boolean } | { success: false; fieldErrors: FieldErrors } {
  const body = input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  if (body && "tickets" in body) {
    if ("ticketType" in body || "attendee" in body)
      return { success: false, fieldErrors: { tickets: ["invalid_type"] } };
    const group = groupRequestSchema.safeParse(input);
    return group.success
      ? {
          success: true,
          data: {
            ...group.data,
            tickets: group.data.tickets.map((ticket) => ({ ...ticket, attendee: ticket.attendee ?? null })),
          },
          single: false,
        }
      : { success: false, fieldErrors: fieldErrorsOfEach([group]) };
  }
  const single = registrationRequestSchema.safeParse(input);
  if (!single.success) return { success: false, fieldErrors: fieldErrorsOfEach([single]) };
  const { ticketType, attendee, answers, locale, billing, paymentMethod, code } = single.data;
  return {
    success: true,
    data: { buyer: attendee, tickets: [{ ticketType, attendee, answers }], locale, billing, paymentMethod, code },
    single: true,
  };
}

/** Where a ticket's fields are named in errors: as the one attendee, or as tickets.<n>. */
export const ticketFieldPrefix = (single: boolean, index: number) => (single ? [] : ["tickets", String(index)]);

export type RegistrationRequest = z.infer<typeof registrationRequestSchema>;

// The email is optional here: a caller that does not offer to change it leaves it as it is.
const detailsSchema = attendeeSchema.partial({ email: true });

/**
 * An attendee's name, email, company and answers as changed after registration (by them or an
 * organiser). A new email is not part of `data`: it goes through changeTicketEmail.
 */
export function parseAttendeeDetails(
  questions: QuestionForAnswers[],
  input: { attendee: unknown; answers: Record<string, unknown> },
) {
  const details = detailsSchema.safeParse(input.attendee);
  const answers = parseAnswers(questions, input.answers);
  if (!details.success || !answers.success) {
    const fieldErrors = fieldErrorsOfEach([details, ["attendee"]], [answers, ["answers"]]);
    return { ok: false, reason: "invalid", fieldErrors } as const;
  }
  const { email, ...rest } = details.data;
  return { ok: true, data: { ...rest, answers: answers.data }, email } as const;
}

export type { Locale };
