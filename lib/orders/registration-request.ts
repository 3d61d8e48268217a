import { z } from "zod";
import { emailAddress, INVISIBLE, MULTI_LINE, missingOr, optionalLine, requiredLine } from "@/lib/forms/fields";
import { locales, type Locale } from "@/lib/i18n/locales";

// Messages are error codes; lib/i18n turns them into sentences in the reader's language.
export type FieldErrorCode =
  | "required"
  | "too_long"
  | "invalid_type"
  | "invalid_email"
  | "invalid_characters"
  | "invisible_characters"
  | "invalid_choice"
  | "must_accept"
  | "unknown_ticket_type";

export type FieldErrors = Record<string, FieldErrorCode[]>;

/** The shape shared by the registration form and the JSON API; answers are checked per edition. */
export const registrationRequestSchema = z.object({
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
}, { error: "invalid_type" });

export type RegistrationRequest = z.infer<typeof registrationRequestSchema>;

export type QuestionForAnswers = {
  key: string;
  type: "TEXT" | "SELECT" | "CHECKBOX";
  required: boolean;
  options: unknown;
};

export type QuestionOption = { value: string; labelFr: string; labelEn: string };

export function questionOptions(question: { options: unknown }): QuestionOption[] {
  return Array.isArray(question.options) ? (question.options as QuestionOption[]) : [];
}

// A checkbox arrives as a boolean from the API and as "on" (or nothing) from an HTML form.
const checkboxValue = z
  .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false")], { error: "invalid_type" })
  .optional()
  .transform((value) => value === true || value === "on" || value === "true");

function answerSchema(question: QuestionForAnswers) {
  switch (question.type) {
    case "TEXT": {
      const text = z
        .string({ error: "invalid_type" })
        .trim()
        .normalize("NFC")
        .max(1000, { error: "too_long" })
        .regex(MULTI_LINE, { error: "invalid_characters" })
        .refine((value) => !INVISIBLE.test(value), { error: "invisible_characters" });
      return question.required ? text.min(1, { error: "required" }) : text.optional().transform((v) => v || undefined);
    }
    case "SELECT": {
      const values = questionOptions(question).map((option) => option.value);
      const choice = z.string({ error: "invalid_type" }).refine((v) => v === "" || values.includes(v), { error: "invalid_choice" });
      return question.required
        ? choice.refine((v) => v !== "", { error: "required" })
        : choice.optional().transform((v) => v || undefined);
    }
    case "CHECKBOX":
      return question.required ? checkboxValue.refine((v) => v, { error: "must_accept" }) : checkboxValue;
  }
}

export type Answers = Record<string, string | boolean>;

export function parseAnswers(questions: QuestionForAnswers[], answers: Record<string, unknown>) {
  const shape = Object.fromEntries(questions.map((question) => [question.key, answerSchema(question)]));
  return z.object(shape).safeParse(answers);
}

export function fieldErrorsOf(error: z.ZodError, prefix: string[] = []): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)].join(".") || "form";
    (errors[path] ??= []).push(issue.message as FieldErrorCode);
  }
  return errors;
}

// The email is optional here: a caller that does not offer to change it leaves it as it is.
const detailsSchema = registrationRequestSchema.shape.attendee.partial({ email: true });

/**
 * An attendee's name, email, company and answers as changed after registration (by them or an
 * organiser). A new email is not part of `data`: it goes through changeTicketEmail.
 */
export function parseAttendeeDetails(questions: QuestionForAnswers[], input: { attendee: unknown; answers: Record<string, unknown> }) {
  const details = detailsSchema.safeParse(input.attendee);
  const answers = parseAnswers(questions, input.answers);
  if (!details.success || !answers.success) {
    const fieldErrors = { ...(details.success ? {} : fieldErrorsOf(details.error, ["attendee"])), ...(answers.success ? {} : fieldErrorsOf(answers.error, ["answers"])) };
    return { ok: false, reason: "invalid", fieldErrors } as const;
  }
  const { email, ...rest } = details.data;
  return { ok: true, data: { ...rest, answers: answers.data }, email } as const;
}

export type { Locale };
