import { getTranslations } from "next-intl/server";
import { AdminForm } from "@/components/admin/admin-form";
import type { FormState } from "@/lib/forms/form-state";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { AdminEdition } from "./admin-edition";

type Props = {
  edition: AdminEdition;
  locale: Locale;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
};

/** A free ticket given by the organisers: a speaker, a sponsor, a guest. */
export async function ComplimentaryForm({ edition, locale, action }: Props) {
  const t = await getTranslations("attendees");
  const register = await getTranslations("register");
  const ticketTypes = edition.ticketTypes.map((type) => ({ value: type.code, label: localized(type, "name", locale) }));
  const languages = [
    { value: "fr", label: "Français" },
    { value: "en", label: "English" },
  ];
  return (
    <section aria-labelledby="complimentary-title">
      <h2 id="complimentary-title">{t("complimentaryTitle")}</h2>
      <p className="hint">{t("complimentaryIntro")}</p>
      <AdminForm
        action={action}
        idPrefix="complimentary"
        hidden={{ editionId: edition.id, editionSlug: edition.slug }}
        submitLabel={t("complimentaryAdd")}
        fields={[
          { name: "ticketType", label: t("ticketType"), type: "select", required: true, options: ticketTypes },
          { name: "attendee.firstName", label: register("firstName"), required: true },
          { name: "attendee.lastName", label: register("lastName"), required: true },
          { name: "attendee.email", label: register("email"), type: "email", required: true },
          { name: "attendee.company", label: register("company") },
          { name: "locale", label: t("emailLanguage"), type: "select", options: languages, defaultValue: locale },
        ]}
      />
    </section>
  );
}
