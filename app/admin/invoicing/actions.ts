"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { answerOf, formValues } from "@/lib/forms/form-state";
import { adminInvoicingPath } from "@/lib/http/paths";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";

export const saveInvoicingSettingsAction = adminAction("invoicing:manage", async (actor, formData) => {
  const result = await saveOrganiserProfile(db(), actor, formValues(formData));
  if (result.ok) revalidatePath(adminInvoicingPath);
  return answerOf(result, formData, "saved");
});
