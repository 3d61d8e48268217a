"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { resendOutboxEmail } from "@/lib/email/attention";
import { refused } from "@/lib/forms/form-state";
import { adminEditionPath } from "@/lib/http/paths";

export const resendEmailAction = adminAction("orders:manage", async (actor, formData) => {
  const result = await resendOutboxEmail(
    db(),
    actor,
    String(formData.get("editionId")),
    String(formData.get("emailId")),
  );
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin", "layout");
  // The email may leave the list at once: the page itself says what happened.
  redirect(adminEditionPath(String(formData.get("editionSlug")), "emails", { done: "resent" }));
});
