import type { FieldSpec } from "@/components/admin/admin-form";
import { ATTENDEE_STATUSES } from "@/lib/attendees/query";
import { localized } from "@/lib/i18n/format";

export const MESSAGE_AUDIENCES = ["ATTENDEES", "BUYERS", "WAITING_LIST"] as const;

type Words = (key: string) => string;
type Edition = { ticketTypes: { code: string; nameFr: string; nameEn: string }[] };

/**
 * The composer's fields, for a new message and for a draft's edit: audience, the attendee list's filter fields,
 * essential, subject and Markdown message in French and English. `initial(name, fallback)`: a field's starting value.
 */
export function messageFields(
  t: Words,
  edition: Edition,
  locale: "fr" | "en",
  initial: (name: string, fallback?: string) => string,
): FieldSpec[] {
  const choice = (value: string, label: string) => ({ value, label });
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
      name: "ticketType",
      label: t("filter.ticketType"),
      type: "select",
      defaultValue: initial("ticketType"),
      options: [
        choice("", t("filter.any")),
        ...edition.ticketTypes.map((type) => choice(type.code, localized(type, "name", locale))),
      ],
    },
    {
      name: "status",
      label: t("filter.status"),
      type: "select",
      defaultValue: initial("status", "confirmed"),
      options: [choice("", t("filter.any")), ...ATTENDEE_STATUSES.map((s) => choice(s, t(`filter.statusName.${s}`)))],
    },
    {
      name: "checkedIn",
      label: t("filter.checkedIn"),
      type: "select",
      defaultValue: initial("checkedIn"),
      options: [choice("", t("filter.any")), choice("yes", t("yes")), choice("no", t("no"))],
    },
    {
      name: "named",
      label: t("filter.named"),
      type: "select",
      defaultValue: initial("named"),
      options: [choice("", t("filter.any")), choice("yes", t("yes")), choice("no", t("no"))],
    },
    { name: "voucherTag", label: t("filter.voucherTag"), defaultValue: initial("voucherTag") },
    { name: "answer", label: t("filter.answer"), hint: t("filter.answerHint"), defaultValue: initial("answer") },
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
