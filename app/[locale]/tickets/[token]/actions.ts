"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { ticketPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { stripe } from "@/lib/payments/stripe";
import { setTicketEmailLanguage } from "@/lib/tickets/email-language";
import { cancelTicketAsAttendee } from "@/lib/tickets/self-service";
import { detailsForm, transferForm } from "@/lib/web/self-service-forms";
import { appNow } from "@/lib/time/clock";
import { dataRightsActions } from "@/lib/web/data-rights-actions";

// A group ticket's own page: the attendee's forms, as on a solo order's page (lib/web/self-service-forms.ts).

export const saveOwnTicketDetails = detailsForm(ticketPath);

export const transferOwnTicket = transferForm();

const dataRights = dataRightsActions("ticket", ticketPath);

/** "Email me all my data", to the ticket's holder (lib/privacy/self-service.ts). */
export const emailTicketData = dataRights.emailMyData;

/** "Ask for my data to be erased": an erasure request for the holder's address. */
export const askTicketErasure = dataRights.askForErasure;

/** "Cancel my ticket", where the edition lets attendees: refused by lib/tickets/self-service otherwise. */
export async function cancelMyTicket(accessToken: string, locale: string): Promise<void> {
  const result = await cancelTicketAsAttendee(db(), stripe(), accessToken, appNow());
  revalidatePath(ticketPath(localeOr(locale), accessToken));
  redirect(ticketPath(localeOr(locale), accessToken, result.ok ? {} : { refusal: result.reason }));
}

/** "Your emails in": the language the attendee's own emails come in; a bad value changes nothing. */
export async function chooseEmailLanguage(accessToken: string, locale: string, form: FormData): Promise<void> {
  await setTicketEmailLanguage(db(), accessToken, form.get("emailLocale"));
  revalidatePath(ticketPath(localeOr(locale), accessToken));
  redirect(ticketPath(localeOr(locale), accessToken));
}
