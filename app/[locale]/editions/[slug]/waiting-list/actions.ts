"use server";

import { guardFormRegistration } from "@/lib/abuse/public-callers";
import { db } from "@/lib/db/prisma";
import type { PublicFormState } from "@/lib/forms/form-state";
import { appNow } from "@/lib/time/clock";
import { joinWaitingList } from "@/lib/waitlist/join";
import { publicAction, textFields } from "@/lib/web/public-action";

export type JoinRefusal = "not_found" | "waiting_list_closed" | "rate_limited" | "challenge_failed";

/**
 * The edition page's join form: the list's rules are the domain's (shared with the API), so the fields go to
 * joinWaitingList as typed, the ticked types as a list. `done` is the place in line ("offered" once an offer is out).
 */
export const joinFromForm = publicAction(
  textFields,
  async (fields, formData, editionSlug: string): Promise<PublicFormState<JoinRefusal | "invalid">> => {
    const input = {
      name: fields.name,
      email: fields.email,
      locale: fields.locale,
      seats: fields.seats,
      acceptsFewer: fields.acceptsFewer,
      ticketTypes: formData.getAll("ticketTypes").filter((value) => typeof value === "string"),
    };
    const result = await joinWaitingList(db(), editionSlug, input, {
      now: appNow(),
      guard: await guardFormRegistration(formData),
    });
    const values = { ...fields, ticketTypes: input.ticketTypes.join(",") };
    if (!result.ok) {
      return {
        reason: result.reason,
        fieldErrors: result.reason === "invalid" ? result.fieldErrors : undefined,
        values,
      };
    }
    const done = result.position === null ? "offered" : result.emailed ? "waiting" : "waitingNotEmailed";
    return { done, params: { position: result.position ?? 0 } };
  },
);
