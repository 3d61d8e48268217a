"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { deleteTicketType, saveTicketType } from "@/lib/editions/ticket-types";
import { answerOf, formValues } from "@/lib/forms/form-state";

export const saveTicketTypeAction = adminAction("editions:manage", async (actor, formData) => {
  const ticketTypeId = String(formData.get("ticketTypeId") ?? "") || null;
  const result = await saveTicketType(
    db(),
    actor,
    String(formData.get("editionId")),
    ticketTypeId,
    formValues(formData),
  );
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, ticketTypeId ? "saved" : "ticket_type_added");
});

export const deleteTicketTypeAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await deleteTicketType(
    db(),
    actor,
    String(formData.get("editionId")),
    String(formData.get("ticketTypeId")),
  );
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, "deleted");
});
