"use server";

import { ticketPath } from "@/lib/http/paths";
import { detailsForm, transferForm } from "@/lib/web/self-service-forms";

// A group ticket's own page: the attendee's forms, as on a solo order's page (lib/web/self-service-forms.ts).

export const saveOwnTicketDetails = detailsForm(ticketPath);

export const transferOwnTicket = transferForm();
