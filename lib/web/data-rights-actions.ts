import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { DATA_RIGHTS_ANCHOR } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { askForErasure, emailMyData, type PrivateLink } from "@/lib/privacy/self-service";
import { appNow } from "@/lib/time/clock";

type PagePath = (locale: string, token: string, query?: Record<string, string | undefined>, hash?: string) => string;

/**
 * The private pages' "Your data" buttons (app/[locale]/tickets/[token], orders/[token]): one domain call each, then
 * back to the page with what it did (`?privacy=…`), at the section itself: on a phone it sits far below the top.
 */
export function dataRightsActions(page: PrivateLink["page"], pathOf: PagePath) {
  const back = (token: string, locale: string, outcome: string) => {
    const path = pathOf(localeOr(locale), token);
    revalidatePath(path);
    if (outcome === "not_found") redirect(pathOf(localeOr(locale), token));
    redirect(pathOf(localeOr(locale), token, { privacy: outcome }, DATA_RIGHTS_ANCHOR));
  };
  return {
    emailMyData: async (token: string, locale: string) =>
      back(token, locale, await emailMyData(db(), { page, token }, localeOr(locale), appNow())),
    askForErasure: async (token: string, locale: string) =>
      back(
        token,
        locale,
        await askForErasure(
          db(),
          { page, token },
          { mailFrom: env().MAIL_FROM, locale: localeOr(locale), now: appNow() },
        ),
      ),
  };
}
