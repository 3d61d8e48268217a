"use server";

import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { emailPreferencesPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { emailLinkKeyFrom, optIn, optOut } from "@/lib/messages/opt-out";

// The token is the only right (the link came in the email); the page then says the new state, so the outcome needs
// no message of its own. A bad token changes nothing and the page answers 404.
const key = () => emailLinkKeyFrom(env()) ?? "";

/** "Stop receiving news from the organisers". */
export async function stopFromPage(token: string, locale: string): Promise<void> {
  await optOut(db(), key(), token, "page");
  redirect(emailPreferencesPath(localeOr(locale), token));
}

/** "Receive them again". */
export async function receiveAgainFromPage(token: string, locale: string): Promise<void> {
  await optIn(db(), key(), token);
  redirect(emailPreferencesPath(localeOr(locale), token));
}
