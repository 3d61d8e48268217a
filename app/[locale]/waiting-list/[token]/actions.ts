"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { guardFormRegistration } from "@/lib/abuse/public-callers";
import { db } from "@/lib/db/prisma";
import type { PublicFormState } from "@/lib/forms/form-state";
import { waitingListPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { appNow } from "@/lib/time/clock";
import { declineOffer, leaveWaitingList } from "@/lib/waitlist/entries";
import { joinAgain } from "@/lib/waitlist/join";
import { publicAction, textFields } from "@/lib/web/public-action";

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

export type JoinAgainRefusal = "invalid" | "not_found" | "waiting_list_closed" | "rate_limited" | "challenge_failed";

/**
 * "Join the waiting list again" from a lapsed or declined entry's page: a join with its answers, admitted as the join
 * form is, then the new entry's page (its own private link, also sent by email).
 */
export const joinAgainFromPage = publicAction(
  textFields,
  async (_fields, formData, token: string, locale: string): Promise<PublicFormState<JoinAgainRefusal>> => {
    const result = await joinAgain(db(), token, { now: appNow(), guard: await guardFormRegistration(formData) });
    if (!result.ok) return { reason: result.reason };
    redirect(waitingListPath(localeOr(locale), result.token));
  },
);
