import { z } from "zod";
import { INVISIBLE, MULTI_LINE } from "@/lib/forms/fields";

// What an edition's questions accept as answers: the registration form, the API and the back office
// all check answers here, against the edition's own questions.
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
      const choice = z
        .string({ error: "invalid_type" })
        .refine((v) => v === "" || values.includes(v), { error: "invalid_choice" });
      return question.required
        ? choice.refine((v) => v !== "", { error: "required" })
        : choice.optional().transform((v) => v || undefined);
    }
    case "CHECKBOX":
      // An unticked optional box stores no key, like an optional question left empty: readers take absent as "no".
      return question.required
        ? checkboxValue.refine((v) => v, { error: "must_accept" })
        : checkboxValue.transform((v) => v || undefined);
  }
}

export type Answers = Record<string, string | boolean>;

export function parseAnswers(questions: QuestionForAnswers[], answers: Record<string, unknown>) {
  const shape = Object.fromEntries(questions.map((question) => [question.key, answerSchema(question)]));
  return z.object(shape).safeParse(answers);
}
