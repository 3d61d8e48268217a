import type { FieldSpec } from "@/components/admin/admin-form";
import { answerFilterChoices, ATTENDEE_STATUSES } from "@/lib/attendees/query";
import { localized } from "@/lib/i18n/format";

export const MESSAGE_AUDIENCES = ["ATTENDEES", "BUYERS", "WAITING_LIST"] as const;

type Words = (key: string, params?: Record<string, string>) => string;
type Edition = {
  ticketTypes: { code: string; nameFr: string; nameEn: string }[];
  questions: Parameters<typeof answerFilterChoices>[0];
};
type Choice = { value: string; label: string };

/**
 * The composer's fields, for a new message and for a draft's edit: audience, the attendee list's filter fields with
 * the list's own choices (`list`: the attendee list's words; `voucherTags`: the edition's code tags), essential,
 * subject and Markdown message in French and English. `initial(name, fallback)`: a field's starting value.
 */
export function messageFields(
  t: Words,
  list: Words,
  edition: Edition & { voucherTags: string[] },
  locale: "fr" | "en",
  initial: (name: string, fallback?: string) => string,
): FieldSpec[] {
  const choice = (value: string, label: string) => ({ value, label });
  // A saved value that is no choice any more (a question removed) stays shown, so saving refuses it, never widens.
  const select = (name: string, options: Choice[], fallback = "") => {
    const value = initial(name, fallback);
    const kept =
      value === "" || options.some((option) => option.value === value) ? options : [...options, choice(value, value)];
    return { name, type: "select" as const, defaultValue: value, options: [choice("", t("filter.any")), ...kept] };
  };
  const answers = answerFilterChoices(edition.questions).map(({ value, question, answer }) =>
    choice(
      value,
      list("answerChoice", {
        question: localized(question, "label", locale),
        answer: typeof answer === "boolean" ? list(answer ? "yes" : "no") : localized(answer, "label", locale),
      }),
    ),
  );
  return [
    {
      name: "audience",
      label: t("audience"),
      type: "select",
      required: true,
      defaultValue: initial("audience", "ATTENDEES"),
      options: MESSAGE_AUDIENCES.map((audience) => choice(audience, t(`audienceName.${audience}`))),
    },
    {
      label: t("filter.ticketType"),
      ...select(
        "ticketType",
        edition.ticketTypes.map((type) => choice(type.code, localized(type, "name", locale))),
      ),
    },
    {
      label: t("filter.status"),
      ...select(
        "status",
        ATTENDEE_STATUSES.map((s) => choice(s, t(`filter.statusName.${s}`))),
        "confirmed",
      ),
    },
    { label: t("filter.checkedIn"), ...select("checkedIn", [choice("yes", t("yes")), choice("no", t("no"))]) },
    { label: t("filter.named"), ...select("named", [choice("yes", t("yes")), choice("no", t("no"))]) },
    {
      label: t("filter.voucherTag"),
      ...select(
        "voucherTag",
        edition.voucherTags.map((tag) => choice(tag, tag)),
      ),
    },
    { label: t("filter.answer"), ...select("answer", answers) },
    { name: "q", label: list("search"), hint: list("searchPlaceholder"), defaultValue: initial("q") },
    {
      name: "essential",
      label: t("essential"),
      type: "checkbox",
      hint: t("essentialHint"),
      defaultValue: initial("essential"),
    },
    { name: "subjectFr", label: t("subjectFr"), defaultValue: initial("subjectFr") },
    { name: "bodyFr", label: t("bodyFr"), type: "textarea", hint: t("bodyHint"), defaultValue: initial("bodyFr") },
    { name: "subjectEn", label: t("subjectEn"), defaultValue: initial("subjectEn") },
    { name: "bodyEn", label: t("bodyEn"), type: "textarea", hint: t("bodyHint"), defaultValue: initial("bodyEn") },
  ];
}
