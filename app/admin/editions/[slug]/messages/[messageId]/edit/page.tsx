import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AdminForm } from "@/components/admin/admin-form";
import { messageFields } from "@/components/admin/messages/message-form";
import { db } from "@/lib/db/prisma";
import { currentLocale } from "@/lib/i18n/page-locale";
import { voucherTags } from "@/lib/vouchers/list";
import { editionForPage } from "../../../edition-for-page";
import { updateMessageAction } from "../../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("edit") };
}

export default async function EditMessagePage({ params }: { params: Promise<{ slug: string; messageId: string }> }) {
  const { edition } = await editionForPage(params);
  const { messageId } = await params;
  const message = /^[0-9a-f-]{36}$/.test(messageId)
    ? await db().message.findFirst({
        where: { id: messageId, editionId: edition.id, kind: "CUSTOM", status: { in: ["DRAFT", "SCHEDULED"] } },
      })
    : null;
  if (!message) notFound();
  const locale = await currentLocale();
  const t = await getTranslations("messagesAdmin");
  const filter = (message.filter ?? {}) as Record<string, unknown>;
  const saved: Record<string, string> = {
    audience: message.audience,
    essential: message.essential ? "on" : "",
    subjectFr: message.subjectFr,
    subjectEn: message.subjectEn,
    bodyFr: message.bodyFr,
    bodyEn: message.bodyEn,
  };
  const [list, tags] = await Promise.all([getTranslations("attendees"), voucherTags(db(), edition.id)]);
  const fields = messageFields(t, list, { ...edition, voucherTags: tags }, locale, (name) =>
    name in saved ? saved[name] : typeof filter[name] === "string" ? (filter[name] as string) : "",
  );
  return (
    <>
      <h2>{t("edit")}</h2>
      <AdminForm
        action={updateMessageAction}
        fields={fields}
        hidden={{ editionId: edition.id, editionSlug: edition.slug, messageId: message.id }}
        submitLabel={t("saveDraft")}
        idPrefix="message"
      />
    </>
  );
}
