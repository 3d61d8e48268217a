"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { recountEditionSeats } from "@/lib/editions/seat-recount";
import { refused } from "@/lib/forms/form-state";
import { adminEditionPath } from "@/lib/http/paths";

const recountSchema = z.object({ editionId: z.uuid(), editionSlug: z.string().min(1) });

/** "Recount" on the dashboard, when the seat counters are off: the page then shows them in step. */
export const recountSeatsAction = adminAction("editions:manage", async (actor, formData) => {
  const parsed = recountSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return refused("not_found");
  const result = await recountEditionSeats(db(), actor, parsed.data.editionId);
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin", "layout");
  redirect(adminEditionPath(parsed.data.editionSlug));
});
