"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/prisma";
import type { FieldErrors } from "@/lib/forms/fields";
import { clientKey } from "@/lib/http/client-key";
import { ticketPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { registrationRequestFromForm } from "@/lib/orders/registration-form";
import { editAttendeeDetails, transferTicket } from "@/lib/tickets/self-service";
import { publicAction, textFields } from "@/lib/web/public-action";
import type { ManageFormState } from "../../orders/[token]/actions";

// The ticket link's token is its attendee's only credential: lib/tickets/self-service checks it again
// under the order's lock, whatever the page showed. The same functions serve a solo order's link.

const fieldErrorsIn = (refusal: object) =>
  "fieldErrors" in refusal ? (refusal.fieldErrors as FieldErrors) : undefined;

export const saveOwnTicketDetails = publicAction(
  textFields,
  async (_fields, formData, accessToken: string, locale: string): Promise<ManageFormState> => {
    const { request, values } = registrationRequestFromForm(formData, locale);
    const input = { attendee: request.attendee, answers: request.answers, clientKey: await clientKey() };
    const result = await editAttendeeDetails(db(), accessToken, input);
    if (!result.ok) return { reason: result.reason, fieldErrors: fieldErrorsIn(result), values };
    // Re-rendering would 404: the link this page is at was just replaced.
    if (result.emailChangedTo) return { done: "saved", emailChangedTo: result.emailChangedTo, values };
    revalidatePath(ticketPath(localeOr(locale), accessToken));
    return { done: "saved", values };
  },
);

export const transferOwnTicket = publicAction(
  textFields,
  async (_fields, formData, accessToken: string, locale: string): Promise<ManageFormState> => {
    const { request, values } = registrationRequestFromForm(formData, locale);
    const result = await transferTicket(db(), accessToken, request.attendee);
    if (!result.ok) return { reason: result.reason, fieldErrors: fieldErrorsIn(result), values };
    return { done: result.transferredTo };
  },
);
