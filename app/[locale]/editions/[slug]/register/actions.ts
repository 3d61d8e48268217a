"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { isLocale } from "@/lib/i18n/locales";
import { registerAttendee } from "@/lib/orders/register";
import { registrationRequestFromForm, type RegistrationFormState } from "@/lib/orders/registration-form";

export async function registerFromForm(
  editionSlug: string,
  locale: string,
  _previous: RegistrationFormState,
  formData: FormData,
): Promise<RegistrationFormState> {
  const { request, values } = registrationRequestFromForm(formData, locale);
  // Registration is public: there is no session to authorise; the domain checks everything else.
  const result = await registerAttendee(db(), editionSlug, request, { holdMinutes: env().HOLD_MINUTES });
  if (!result.ok) {
    return { reason: result.reason, fieldErrors: result.reason === "invalid" ? result.fieldErrors : undefined, values };
  }
  const pageLocale = isLocale(locale) ? locale : "fr";
  revalidatePath(`/${pageLocale}/editions/${editionSlug}`);
  redirect(`/${pageLocale}/orders/${result.order.accessToken}`);
}
