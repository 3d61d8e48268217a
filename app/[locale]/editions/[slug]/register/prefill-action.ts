"use server";

import { after } from "next/server";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { clientKey } from "@/lib/http/client-key";
import { absoluteUrl, registerPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { requestPrefillLink } from "@/lib/orders/returning-attendee";
import { ticketKeys } from "@/lib/tickets/signing-key";
import { emailLinkState, emailLinkFields } from "@/lib/web/email-link-state";
import { publicAction } from "@/lib/web/public-action";

export const requestPrefill = publicAction(
  emailLinkFields,
  async ({ email }, _form, editionSlug: string, locale: string) => {
    const pageLocale = localeOr(locale);
    const outcome = await requestPrefillLink(
      db(),
      {
        email,
        clientKey: await clientKey(),
        locale: pageLocale,
        registerUrl: absoluteUrl(env().APP_URL, registerPath(pageLocale, editionSlug)),
        signingKey: ticketKeys().privateKey,
      },
      new Date(),
      // The lookup and the email wait until the answer has gone: known and unknown addresses answer alike.
      after,
    );
    return emailLinkState(outcome, email);
  },
);
