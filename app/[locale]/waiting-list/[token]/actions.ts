"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { waitingListPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { declineOffer, leaveWaitingList } from "@/lib/waitlist/entries";

// The token is the only right needed (the page's link is private); a second click finds the entry closed and the
// page says what became of it, so the outcome needs no message of its own.

/** "Leave the list": the entry is removed and an open offer's seats go to the next in line. */
export async function leaveFromPage(token: string, locale: string): Promise<void> {
  await leaveWaitingList(db(), token);
  revalidatePath(waitingListPath(localeOr(locale), token));
  redirect(waitingListPath(localeOr(locale), token));
}

/** "I don't want them": the offer is declined and its seats go to the next in line. */
export async function declineFromPage(token: string, locale: string): Promise<void> {
  await declineOffer(db(), token);
  revalidatePath(waitingListPath(localeOr(locale), token));
  redirect(waitingListPath(localeOr(locale), token));
}
