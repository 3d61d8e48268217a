"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { addComplimentaryTickets, cancelAttendee, editAttendee, resendConfirmation } from "@/lib/attendees/manage";
import { undoCheckIn } from "@/lib/checkin/scan";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { answerOf, formValues, refused, saved } from "@/lib/forms/form-state";
import { orderRequestFromForm, registrationRequestFromForm } from "@/lib/orders/registration-form";
import { stripe } from "@/lib/payments/stripe";
import { adminAttendeePath, adminOrderPath } from "@/lib/http/paths";

const ids = (formData: FormData) => ({
  editionId: String(formData.get("editionId")),
  ticketId: String(formData.get("ticketId")),
});

export const editAttendeeAction = adminAction("orders:manage", async (actor, formData) => {
  const { editionId, ticketId } = ids(formData);
  const { attendee, answers } = registrationRequestFromForm(formData, "fr").request;
  const result = await editAttendee(db(), actor, editionId, ticketId, { attendee, answers });
  if (result.ok) revalidatePath("/admin", "layout");
  if (result.ok && result.emailChangedTo) return saved("email_changed", { params: { email: result.emailChangedTo } });
  return answerOf(result, formData, "saved");
});

export const resendConfirmationAction = adminAction("orders:manage", async (actor, formData) => {
  const { editionId, ticketId } = ids(formData);
  const result = await resendConfirmation(db(), actor, editionId, ticketId);
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, "confirmation_resent");
});

export const cancelAttendeeAction = adminAction("orders:manage", async (actor, formData) => {
  const { editionId, ticketId } = ids(formData);
  const refund = formData.get("refund") === "yes";
  const result = await cancelAttendee(db(), stripe(), actor, editionId, ticketId, { refund });
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin", "layout");
  // The cancel buttons disappear with the confirmed status: the page itself says what happened.
  const done = refund ? "cancelled_refunded" : "cancelled";
  redirect(adminAttendeePath(String(formData.get("editionSlug")), ticketId, { done }));
});

/**
 * Complimentary tickets, one or a group: one ticket goes to its attendee's page, as before; a group
 * to its order, where every ticket shows. A refusal for want of seats says how many are left, overall
 * (`left`) and of each type asked (`left.<code>`).
 */
export const addComplimentaryAction = adminAction("orders:manage", async (actor, formData) => {
  const editionId = String(formData.get("editionId"));
  const { request } = orderRequestFromForm(formData, String(formData.get("locale") ?? "fr"));
  const result = await addComplimentaryTickets(db(), actor, editionId, request);
  if (!result.ok && result.reason === "sold_out") {
    const params = { left: result.left, ...prefixed("left.", result.leftByCode) };
    return refused("sold_out", { params, values: formValues(formData) });
  }
  if (!result.ok) return answerOf(result, formData, "saved");
  revalidatePath("/admin", "layout");
  const slug = String(formData.get("editionSlug"));
  if (result.ticketIds.length > 1) redirect(adminOrderPath(slug, result.reference));
  redirect(adminAttendeePath(slug, result.ticketIds[0], { done: "complimentary_added" }));
});

const prefixed = (prefix: string, counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).map(([key, count]) => [`${prefix}${key}`, count]));

export const undoCheckInAction = adminAction("orders:manage", async (actor, formData) => {
  const { editionId, ticketId } = ids(formData);
  const result = await undoCheckIn(db(), actor, editionId, ticketId);
  if (!result.ok) return answerOf({ ok: false, reason: "not_found" }, formData, "saved");
  revalidatePath("/admin", "layout");
  redirect(adminAttendeePath(String(formData.get("editionSlug")), ticketId, { done: "check_in_undone" }));
});
