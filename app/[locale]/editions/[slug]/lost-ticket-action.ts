"use server";

import { after } from "next/server";
import { db } from "@/lib/db/prisma";
import { clientKey } from "@/lib/http/client-key";
import { resendTicketLinks } from "@/lib/tickets/resend-link";
import { emailLinkFields, emailLinkState } from "@/lib/web/email-link-state";
import { publicAction } from "@/lib/web/public-action";

export const requestLostTicket = publicAction(emailLinkFields, async ({ email }, _formData, editionSlug: string) => {
  // The lookup and the email wait until the answer has gone: known and unknown addresses answer alike.
  const outcome = await resendTicketLinks(
    db(),
    { editionSlug, email, clientKey: await clientKey() },
    new Date(),
    after,
  );
  return emailLinkState(outcome, email);
});
