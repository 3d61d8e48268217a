import type { Question } from "@/lib/generated/prisma/client";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { questionOptions } from "./answers";

/** An edition's questions as the forms show them, in the reader's language. */
export function localizedQuestionFields(questions: Question[], locale: Locale) {
  return questions.map((question) => ({
    key: question.key,
    type: question.type,
    required: question.required,
    label: localized(question, "label", locale),
    options: questionOptions(question).map((option) => ({
      value: option.value,
      label: localized(option, "label", locale),
    })),
  }));
}
