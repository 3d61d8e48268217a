import { z } from "zod";
import { parseAnswers, type QuestionForAnswers } from "@/lib/editions/answers";
import { emailAddress, fieldErrorsOfEach, missingOr, optionalLine, requiredLine } from "@/lib/forms/fields";
import { locales, type Locale } from "@/lib/i18n/locales";

/** The shape shared by the registration form and the JSON API; answers are checked per edition. */
export const registrationRequestSchema = z.object(
  {
    ticketType: requiredLine(64),
    attendee: z.object(
      {
        firstName: requiredLine(100),
        lastName: requiredLine(100),
        email: emailAddress,
        company: optionalLine(200),
      },
      { error: missingOr("invalid_type") },
    ),
    answers: z.record(z.string(), z.unknown(), { error: "invalid_type" }).default({}),
    locale: z.enum(locales, { error: "invalid_choice" }).default("fr"),
  },
  { error: "invalid_type" },
);

export type RegistrationRequest = z.infer<typeof registrationRequestSchema>;

// The email is optional here: a caller that does not offer to change it leaves it as it is.
const detailsSchema = registrationRequestSchema.shape.attendee.partial({ email: true });

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
