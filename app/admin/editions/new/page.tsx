import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminForm } from "@/components/admin/admin-form";
import {
  attendeeCancelFields,
  editionFields,
  orderLimitFields,
  unnamedReminderFields,
} from "@/components/admin/edition-fields";
import { requirePermission } from "@/lib/auth/actor";
import { createEditionAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("editionForm"))("newTitle") };
}

export default async function NewEditionPage() {
  await requirePermission("editions:manage");
  const t = await getTranslations("editionForm");
  const fields = [
    ...editionFields(t),
    ...orderLimitFields(await getTranslations("groupTicket")),
    ...attendeeCancelFields(await getTranslations("ticketSelfService.editionForm")),
    ...unnamedReminderFields(await getTranslations("unnamedReminder")),
  ];
  return (
    <div className="narrow">
      <h1>{t("newTitle")}</h1>
      <p className="muted">{t("newIntro")}</p>
      <AdminForm action={createEditionAction} fields={fields} submitLabel={t("create")} idPrefix="edition" />
    </div>
  );
}
