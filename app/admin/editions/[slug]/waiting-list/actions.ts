"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { refused } from "@/lib/forms/form-state";
import { adminEditionPath } from "@/lib/http/paths";
import { setWaitingListPaused } from "@/lib/waitlist/admin";
import { removeEntry } from "@/lib/waitlist/entries";

// Both change the whole list under the page (offers made on resuming, seats passed on after a removal): the page
// is drawn again rather than answered beside the button.
const backToList = (formData: FormData) => {
  revalidatePath("/admin", "layout");
  redirect(adminEditionPath(String(formData.get("editionSlug")), "waiting-list"));
};

export const pauseWaitingListAction = adminAction("editions:manage", async (actor, formData) => {
  await setWaitingListPaused(db(), actor, String(formData.get("editionId")), formData.get("paused") === "true");
  return backToList(formData);
});

export const removeEntryAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await removeEntry(db(), actor, String(formData.get("entryId")));
  if (!result.ok) return refused(result.reason);
  return backToList(formData);
});
