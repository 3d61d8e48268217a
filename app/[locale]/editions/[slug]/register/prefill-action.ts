"use server";

import { after } from "next/server";
import type { EmailLinkRequestState } from "@/components/email-link-request-form";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { clientKey } from "@/lib/http/client-key";
import { isLocale } from "@/lib/i18n/locales";
import { requestPrefillLink } from "@/lib/orders/returning-attendee";
import { ticketKeys } from "@/lib/tickets/signing-key";

export async function requestPrefill(editionSlug: string, locale: string, _previous: EmailLinkRequestState, formData: FormData): Promise<EmailLinkRequestState> {
  const email = formData.get("email");
  const pageLocale = isLocale(locale) ? locale : "fr";
  const outcome = await requestPrefillLink(
    db(),
    {
      email,
      clientKey: await clientKey(),
      locale: pageLocale,
      registerUrl: `${env().APP_URL}/${pageLocale}/editions/${editionSlug}/register`,
      signingKey: ticketKeys().privateKey,
    },
    new Date(),
    // The lookup and the email wait until the answer has gone: known and unknown addresses answer alike.
    after,
  );
  return { outcome, email: typeof email === "string" ? email : "" };
}
