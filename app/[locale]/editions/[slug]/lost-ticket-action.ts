"use server";

import { after } from "next/server";
import type { EmailLinkRequestState } from "@/components/email-link-request-form";
import { db } from "@/lib/db/prisma";
import { clientKey } from "@/lib/http/client-key";
import { resendTicketLinks } from "@/lib/tickets/resend-link";

export async function requestLostTicket(editionSlug: string, _previous: EmailLinkRequestState, formData: FormData): Promise<EmailLinkRequestState> {
  const email = formData.get("email");
  // The lookup and the email wait until the answer has gone: known and unknown addresses answer alike.
  const outcome = await resendTicketLinks(db(), { editionSlug, email, clientKey: await clientKey() }, new Date(), after);
  return { outcome, email: typeof email === "string" ? email : "" };
}
