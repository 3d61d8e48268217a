"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { formValues, refused } from "@/lib/forms/form-state";
import { adminEditionPath } from "@/lib/http/paths";
import { offerManually, setWaitingListPaused } from "@/lib/waitlist/admin";
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

export const offerManuallyAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await offerManually(db(), actor, String(formData.get("entryId")), {
    seats: formData.get("seats"),
    ticketTypeId: formData.get("ticketTypeId"),
  });
  if (!result.ok) {
    const values = formValues(formData);
    if (result.reason === "invalid") return refused("invalid", { fieldErrors: result.fieldErrors, values });
    if (result.reason === "not_enough_seats") {
      return refused("offer_not_enough_seats", { params: { left: result.seatsLeft }, values });
    }
    return refused(result.reason, { values });
  }
  return backToList(formData);
});
