"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { saveCertificateSettings } from "@/lib/certificates/settings";
import { db } from "@/lib/db/prisma";
import { formValues, refused, saved } from "@/lib/forms/form-state";

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
