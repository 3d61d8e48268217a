"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminEditionPath } from "@/lib/http/paths";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { answerOf, formValues, refused } from "@/lib/forms/form-state";
import {
  createAllocation,
  releaseAllocation,
  updateAllocation,
  type AllocationChange,
} from "@/lib/vouchers/allocations";

// A block that did not fit says how many seats general sale has left, beside the field's error.
function answer(result: AllocationChange, formData: FormData, savedMessage: string) {
  if (!result.ok && result.reason === "invalid" && result.seatsLeft !== undefined) {
    return refused("not_enough_seats", {
      params: { left: result.seatsLeft },
      fieldErrors: result.fieldErrors,
      values: formValues(formData),
    });
  }
  return answerOf(result, formData, savedMessage);
}

export const saveAllocationAction = adminAction("editions:manage", async (actor, formData) => {
  const editionId = String(formData.get("editionId"));
  const allocationId = String(formData.get("allocationId") ?? "") || null;
  const values = formValues(formData);
  const now = new Date();
  const result = allocationId
    ? await updateAllocation(db(), actor, editionId, allocationId, values, now)
    : await createAllocation(db(), actor, editionId, values, now);
  if (result.ok) revalidatePath("/admin", "layout");
  return answer(result, formData, allocationId ? "saved" : "allocation_created");
});

export const releaseAllocationAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await releaseAllocation(
    db(),
    actor,
    String(formData.get("editionId")),
    String(formData.get("allocationId")),
    new Date(),
  );
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin", "layout");
  // The block's card (and this button) leaves the list once released: the page says what happened.
  redirect(adminEditionPath(String(formData.get("editionSlug")), "allocations", { done: "allocation_released" }));
});
