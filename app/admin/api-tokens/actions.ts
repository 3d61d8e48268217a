"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { answerOf, formValues, saved } from "@/lib/forms/form-state";
import { qrSvg } from "@/lib/tickets/issue";
import { absoluteUrl, checkinPath } from "@/lib/http/paths";

export const createApiTokenAction = adminAction("exports:read", async (actor, formData) => {
  const result = await createApiToken(db(), actor, formValues(formData));
  if (!result.ok || !result.token) return answerOf(result, formData, "saved");
  revalidatePath("/admin/api-tokens");
  if (formData.get("scope") !== "CHECKIN") return saved("token_created", { secret: result.token });
  // A door device gets a link that carries its token: opened once on the phone, it stays there.
  const edition = await db().edition.findUniqueOrThrow({
    where: { id: String(formData.get("editionId")) },
    select: { slug: true },
  });
  const link = absoluteUrl(env().APP_URL, `${checkinPath(edition.slug)}#device=${result.token}`);
  return saved("token_created", { secret: link, secretQr: await qrSvg(link) });
});

export const revokeApiTokenAction = adminAction("exports:read", async (actor, formData) => {
  const result = await revokeApiToken(db(), actor, String(formData.get("tokenId")));
  if (result.ok) revalidatePath("/admin/api-tokens");
  return answerOf(result, formData, "token_revoked");
});
