import "server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/prisma";
import type { FieldErrors } from "@/lib/forms/fields";
import type { PublicFormState } from "@/lib/forms/form-state";
import { clientKey } from "@/lib/http/client-key";
import { localeOr, type Locale } from "@/lib/i18n/locales";
import { registrationRequestFromForm } from "@/lib/orders/registration-form";
import { editAttendeeDetails, transferTicket } from "@/lib/tickets/self-service";
import { publicAction, textFields } from "./public-action";
import { appNow } from "@/lib/time/clock";

// An attendee's own forms behind their private link, the same whichever page the link opens (a solo
// order's page, or a group ticket's own page): lib/tickets/self-service checks the token again under
// the order's lock, whatever the page showed.

export type ManageRefusal = "invalid" | "not_found" | "not_allowed" | "already_registered" | "rate_limited";
export type ManageFormState = PublicFormState<ManageRefusal>;

export const fieldErrorsIn = (refusal: object) =>
  "fieldErrors" in refusal ? (refusal.fieldErrors as FieldErrors) : undefined;

/** Saves the attendee's details; `pagePath` is the page their link opens, revalidated after. */
export function detailsForm(pagePath: (locale: Locale, token: string) => string) {
  return publicAction(
    textFields,
    async (_fields, formData, accessToken: string, locale: string): Promise<ManageFormState> => {
      const { request, values } = registrationRequestFromForm(formData, locale);
      const input = { attendee: request.attendee, answers: request.answers, clientKey: await clientKey() };
      const result = await editAttendeeDetails(db(), accessToken, input, appNow());
      if (!result.ok) return { reason: result.reason, fieldErrors: fieldErrorsIn(result), values };
      // Re-rendering would 404: the link this page is at was just replaced.
      if (result.emailChangedTo) return { done: "saved", emailChangedTo: result.emailChangedTo, values };
      revalidatePath(pagePath(localeOr(locale), accessToken));
      return { done: "saved", values };
    },
  );
}

/**
 * Hands the ticket to a colleague: the link used here stops working, the colleague gets their own.
 * A new function per page, as each "use server" module registers its own actions.
 */
export function transferForm() {
  return publicAction(
    textFields,
    async (_fields, formData, accessToken: string, locale: string): Promise<ManageFormState> => {
      const { request, values } = registrationRequestFromForm(formData, locale);
      const result = await transferTicket(db(), accessToken, request.attendee, appNow());
      if (!result.ok) return { reason: result.reason, fieldErrors: fieldErrorsIn(result), values };
      return { done: result.transferredTo };
    },
  );
}
