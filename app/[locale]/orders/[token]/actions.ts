"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { homePath, orderPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { getOrderByAccessToken } from "@/lib/orders/queries";
import { registrationRequestFromForm } from "@/lib/orders/registration-form";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";
import { stripe } from "@/lib/payments/stripe";
import { nameTicket } from "@/lib/tickets/naming";
import { resendTicketFromOrder, type TicketResendRefusal } from "@/lib/tickets/resend-ticket";
import type { PublicFormState } from "@/lib/forms/form-state";
import { cancelForRefund, cancelFreeRegistration, cancelOwnTicket, retryOwnRefund } from "@/lib/tickets/self-service";
import { publicAction, textFields } from "@/lib/web/public-action";
import { appNow } from "@/lib/time/clock";
import { dataRightsActions } from "@/lib/web/data-rights-actions";
import {
  detailsForm,
  fieldErrorsIn,
  transferForm,
  type ManageFormState,
  type ManageRefusal,
} from "@/lib/web/self-service-forms";

// The private link's token is the attendee's only credential: every action below checks it
// again through lib/tickets/self-service, whatever the page showed.

export type { ManageFormState, ManageRefusal };

const dataRights = dataRightsActions("order", orderPath);

/** "Email me all my data", to the buyer's address (lib/privacy/self-service.ts). */
export const emailOrderData = dataRights.emailMyData;

/** "Ask for my data to be erased": an erasure request for the buyer's address. */
export const askOrderErasure = dataRights.askForErasure;

/** "Pay now" on a held order: back to its Stripe Checkout session (the same one, if still open). */
export async function payOrder(accessToken: string, locale: string): Promise<void> {
  const order = await getOrderByAccessToken(db(), accessToken);
  if (!order) redirect(homePath(localeOr(locale)));
  const checkout = await startCheckoutForOrder(order.id);
  if (checkout.ok) redirect(checkout.url);
  const unavailable = checkout.reason === "payment_unavailable";
  redirect(orderPath(localeOr(locale), accessToken, { checkout: unavailable ? "unavailable" : "closed" }));
}

export const saveAttendeeDetails = detailsForm(orderPath);

export const transferToColleague = transferForm();

/** The buyer of a group names or renames the attendee of one of its tickets. */
export const nameAttendee = publicAction(
  textFields,
  async (_fields, formData, accessToken: string, locale: string, ticketId: string): Promise<ManageFormState> => {
    const { request, values } = registrationRequestFromForm(formData, locale);
    const result = await nameTicket(db(), accessToken, { ticketId, attendee: request.attendee });
    if (!result.ok) return { reason: result.reason, fieldErrors: fieldErrorsIn(result), values };
    // No re-render: the form stays open with its answer, and the list shows the new holder on the next visit.
    return { done: values["attendee.email"] };
  },
);

/** "Resend this ticket": its attendee gets the ticket email again; nothing on the page changes. */
export const resendTicket = publicAction(
  textFields,
  async (_fields, _formData, accessToken: string, ticketId: string): Promise<PublicFormState<TicketResendRefusal>> => {
    const result = await resendTicketFromOrder(db(), accessToken, ticketId);
    if (result.ok) return { done: result.sentTo };
    return result.reason === "rate_limited"
      ? { reason: result.reason, params: { minutes: result.minutes } }
      : { reason: result.reason };
  },
);

export async function cancelRegistration(accessToken: string, locale: string, paid: boolean): Promise<void> {
  const result = paid
    ? await cancelForRefund(db(), stripe(), accessToken, appNow())
    : await cancelFreeRegistration(db(), accessToken, appNow());
  redirect(orderPath(localeOr(locale), accessToken, { manage: result.ok ? undefined : "not_allowed" }));
}

/** "Cancel this ticket" on one ticket of a group: refunded if paid, the other tickets untouched. */
export async function cancelTicket(accessToken: string, locale: string, ticketId: string): Promise<void> {
  const result = await cancelOwnTicket(db(), stripe(), accessToken, ticketId, appNow());
  revalidatePath(orderPath(localeOr(locale), accessToken));
  redirect(orderPath(localeOr(locale), accessToken, result.ok ? {} : { ticket: ticketId, refusal: result.reason }));
}

/** "Retry the refund", when Stripe has not accepted it yet or refused it. */
export async function retryRefund(accessToken: string, locale: string): Promise<void> {
  const result = await retryOwnRefund(db(), stripe(), accessToken);
  revalidatePath(orderPath(localeOr(locale), accessToken));
  redirect(orderPath(localeOr(locale), accessToken, { manage: result.ok ? undefined : result.reason }));
}
