"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { saveCertificateSettings } from "@/lib/certificates/settings";
import { db } from "@/lib/db/prisma";
import { updateReminderSettings } from "@/lib/editions/manage";
import { answerOf, formValues, refused, saved } from "@/lib/forms/form-state";
import { sendAllCertificates } from "@/lib/messages/send-certificates";
import { updateRetentionMonths } from "@/lib/privacy/retention";
import { appNow } from "@/lib/time/clock";

export const saveCertificateSettingsAction = adminAction("editions:manage", async (actor, formData) => {
  const file = formData.get("signature");
  // An empty file input still sends a nameless part of no bytes: that keeps the saved signature.
  const signature = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  const fields = formValues(formData, { omit: ["signature"] });
  const result = await saveCertificateSettings(db(), actor, String(formData.get("editionId")), {
    ...fields,
    signature,
  });
  if (!result.ok) return refused(result.reason, { fieldErrors: result.fieldErrors, values: fields });
  revalidatePath("/admin/editions/[slug]/settings", "page");
  return saved("certificates_saved");
});

export const saveReminderSettingsAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await updateReminderSettings(db(), actor, String(formData.get("editionId")), formValues(formData));
  if (result.ok) revalidatePath("/admin/editions/[slug]/settings", "page");
  return answerOf(result, formData, "saved");
});

export const sendAllCertificatesAction = adminAction("editions:manage", async (actor, formData) => {
  // The app's clock (an e2e run moves it): "after the end" as the download routes judge it.
  const result = await sendAllCertificates(db(), actor, String(formData.get("editionId")), appNow());
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin/editions/[slug]/settings", "page");
  return saved("certificates_sent", { params: { count: result.added } });
});

export const saveRetentionAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await updateRetentionMonths(db(), actor, String(formData.get("editionId")), formValues(formData));
  if (result.ok) revalidatePath("/admin/editions/[slug]/settings", "page");
  return answerOf(result, formData, "saved");
});
