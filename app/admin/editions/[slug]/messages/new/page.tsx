import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { ATTENDEE_STATUSES } from "@/lib/attendees/query";
import { localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { allowedPlaceholders } from "@/lib/templates/placeholders";
import { editionForPage } from "../../edition-for-page";
import { createMessageAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("new") };
}

const AUDIENCES = ["ATTENDEES", "BUYERS", "WAITING_LIST"] as const;

export default async function NewMessagePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("messagesAdmin");
  const query = await searchParams;
  // The attendee list's "write to these" link carries its filters; a message opens on the confirmed attendees.
  const initial = (name: string, fallback = "") => {
    const value = query[name];
    return (Array.isArray(value) ? value[0] : value) ?? fallback;
  };
  const choice = (value: string, label: string) => ({ value, label });
  const fields: FieldSpec[] = [
    {
      name: "audience",
      label: t("audience"),
      type: "select",
      required: true,
      defaultValue: initial("audience", "ATTENDEES"),
      options: AUDIENCES.map((audience) => choice(audience, t(`audienceName.${audience}`))),
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
    { name: "essential", label: t("essential"), type: "checkbox", hint: t("essentialHint") },
    { name: "subjectFr", label: t("subjectFr") },
    { name: "bodyFr", label: t("bodyFr"), type: "textarea", hint: t("bodyHint") },
    { name: "subjectEn", label: t("subjectEn") },
    { name: "bodyEn", label: t("bodyEn"), type: "textarea", hint: t("bodyHint") },
  ];
  return (
    <>
      <h2>{t("new")}</h2>
      <p>{t("recountNotice")}</p>
      <AdminForm
        action={createMessageAction}
        fields={fields}
        hidden={{ editionId: edition.id, editionSlug: edition.slug }}
        submitLabel={t("saveDraft")}
        idPrefix="message"
      />
      <h3>{t("placeholders")}</h3>
      <dl data-testid="placeholders">
        {AUDIENCES.map((audience) => (
          <div key={audience}>
            <dt>{t(`audienceName.${audience}`)}</dt>
            <dd>
              {allowedPlaceholders(`message:${audience}`)
                .map((placeholder) => `{{ ${placeholder.name} }}`)
                .join(" · ")}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
