import { getTranslations } from "next-intl/server";
import type { FormState } from "@/lib/forms/form-state";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { AdminEdition } from "./admin-edition";
import { ComplimentaryGroupForm } from "./complimentary-group-form";

type Props = {
  edition: AdminEdition;
  locale: Locale;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
};

/**
 * Free tickets given by the organisers: a speaker's own, or a sponsor's group in one order. One
 * form for both, since a single ticket is the group of one its recipient uses: the form opens that
 * way, and giving more is raising a quantity, not finding another form.
 */
export async function ComplimentaryForm({ edition, locale, action }: Props) {
  const t = await getTranslations("complimentaryGroup");
  const max = edition.maxTicketsPerOrder;
  const types = edition.ticketTypes.map((type) => ({
    code: type.code,
    name: localized(type, "name", locale),
    max: Math.min(type.maxPerOrder ?? max, max),
    onPublicSale: type.active,
  }));
  return (
    <section aria-labelledby="complimentary-title">
      <h2 id="complimentary-title">{t("title")}</h2>
      <p className="hint">{t("intro")}</p>
      <ComplimentaryGroupForm
        action={action}
        hidden={{ editionId: edition.id, editionSlug: edition.slug }}
        types={types}
        maxPerOrder={max}
        allowNameLater={edition.allowNameLater}
        locale={locale}
      />
    </section>
  );
}
