"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/prisma";
import { answerOf, formValues, saved } from "@/lib/forms/form-state";

export const createApiTokenAction = adminAction("exports:read", async (actor, formData) => {
  const result = await createApiToken(db(), actor, formValues(formData));
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin/api-tokens");
  return saved("token_created", { secret: result.token });
});

export const revokeApiTokenAction = adminAction("exports:read", async (actor, formData) => {
  const result = await revokeApiToken(db(), actor, String(formData.get("tokenId")));
  if (result.ok) revalidatePath("/admin/api-tokens");
  return answerOf(result, formData, "token_revoked");
});
