"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { guardFormRegistration } from "@/lib/abuse/public-callers";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { isLocale } from "@/lib/i18n/locales";
import { registerAttendee } from "@/lib/orders/register";
import { registrationRequestFromForm, type RegistrationFormState } from "@/lib/orders/registration-form";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";

export async function registerFromForm(
  editionSlug: string,
  locale: string,
  _previous: RegistrationFormState,
  formData: FormData,
): Promise<RegistrationFormState> {
  const { request, values } = registrationRequestFromForm(formData, locale);
  // Registration is public: there is no session to authorise; the domain checks everything else.
  const guard = await guardFormRegistration(formData);
  const result = await registerAttendee(db(), editionSlug, request, { holdMinutes: env().HOLD_MINUTES, guard });
  if (!result.ok) {
    return { reason: result.reason, fieldErrors: result.reason === "invalid" ? result.fieldErrors : undefined, values };
  }
  const pageLocale = isLocale(locale) ? locale : "fr";
  revalidatePath(`/${pageLocale}/editions/${editionSlug}`);
  const orderPage = `/${pageLocale}/orders/${result.order.accessToken}`;
  if (result.order.status === "CONFIRMED") redirect(orderPage);
  // A paid ticket: its seat is held; off to Stripe Checkout. If Stripe cannot be reached, the
  // order page keeps the hold and offers to try paying again.
  const checkout = await startCheckoutForOrder(result.order.id);
  redirect(checkout.ok ? checkout.url : `${orderPage}?checkout=unavailable`);
}
