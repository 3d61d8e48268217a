import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminForm } from "@/components/admin/admin-form";
import { MESSAGE_AUDIENCES, messageFields } from "@/components/admin/messages/message-form";
import { db } from "@/lib/db/prisma";
import { currentLocale } from "@/lib/i18n/page-locale";
import { voucherTags } from "@/lib/vouchers/list";
import { allowedPlaceholders } from "@/lib/templates/placeholders";
import { editionForPage } from "../../edition-for-page";
import { createMessageAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("new") };
}

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
  const [list, tags] = await Promise.all([getTranslations("attendees"), voucherTags(db(), edition.id)]);
  const fields = messageFields(t, list, { ...edition, voucherTags: tags }, locale, (name, fallback = "") => {
    const value = query[name];
    return (Array.isArray(value) ? value[0] : value) ?? fallback;
  });
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
        {MESSAGE_AUDIENCES.map((audience) => (
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
