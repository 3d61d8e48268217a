"use server";

import type { EmailLinkRequestState } from "@/components/email-link-request-form";
import { db } from "@/lib/db/prisma";
import { clientKey } from "@/lib/http/client-key";
import { resendTicketLinks } from "@/lib/tickets/resend-link";

export async function requestLostTicket(editionSlug: string, _previous: EmailLinkRequestState, formData: FormData): Promise<EmailLinkRequestState> {
  const email = formData.get("email");
  const outcome = await resendTicketLinks(db(), { editionSlug, email, clientKey: await clientKey() });
  return { outcome, email: typeof email === "string" ? email : "" };
}
