"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { cloneEdition, createEdition, setEditionStatus, updateEdition } from "@/lib/editions/manage";
import { setEditionStaff } from "@/lib/editions/staff";
import { answerOf, formValues, refused, saved } from "@/lib/forms/form-state";
import { adminEditionPath, adminInvoicingPath } from "@/lib/http/paths";

export const createEditionAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await createEdition(db(), actor, formValues(formData));
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin");
  redirect(adminEditionPath(result.edition.slug, "settings"));
});

export const updateEditionAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await updateEdition(db(), actor, String(formData.get("editionId")), formValues(formData));
  if (!result.ok && result.reason === "transfer_needs_invoicing") {
    return { ...answerOf(result, formData, "saved"), link: { href: adminInvoicingPath, label: "invoicingLink" } };
  }
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin", "layout");
  redirect(adminEditionPath(result.edition.slug, "settings", { done: "saved" }));
});

const STATUSES = ["DRAFT", "OPEN", "CLOSED"] as const;

export const setEditionStatusAction = adminAction("editions:manage", async (actor, formData) => {
  const status = STATUSES.find((value) => value === formData.get("status"));
  if (!status) return refused("invalid");
  const result = await setEditionStatus(db(), actor, String(formData.get("editionId")), status);
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin", "layout");
  revalidatePath(`/[locale]/editions/${result.edition.slug}`, "page");
  // The clicked button is replaced by the other status changes: the page itself says what happened.
  redirect(adminEditionPath(result.edition.slug, "settings", { done: `status_${status}` }));
});

export const cloneEditionAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await cloneEdition(db(), actor, String(formData.get("editionId")), formValues(formData));
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin");
  redirect(adminEditionPath(result.edition.slug, "settings"));
});

export const saveEditionStaffAction = adminAction("editions:manage", async (actor, formData) => {
  const editionId = String(formData.get("editionId"));
  const result = await setEditionStaff(db(), actor, editionId, { userIds: formData.getAll("userIds") });
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin/editions/[slug]/settings", "page");
  return saved("staff_saved");
});
