"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { saveUser, setUserDisabled } from "@/lib/auth/manage-users";
import { db } from "@/lib/db/prisma";
import { answerOf, formValues } from "@/lib/forms/form-state";

export const saveUserAction = adminAction("users:manage", async (actor, formData) => {
  const userId = String(formData.get("userId") ?? "") || null;
  const result = await saveUser(db(), actor, userId, {
    ...formValues(formData),
    editionIds: formData.getAll("editionIds").map(String),
  });
  if (result.ok) revalidatePath("/admin/users");
  return answerOf(result, formData, userId ? "saved" : "user_created");
});

export const setUserDisabledAction = adminAction("users:manage", async (actor, formData) => {
  const disabled = formData.get("disabled") === "yes";
  const result = await setUserDisabled(db(), actor, String(formData.get("userId")), disabled);
  if (result.ok) revalidatePath("/admin/users");
  return answerOf(result, formData, disabled ? "user_disabled" : "user_enabled");
});
