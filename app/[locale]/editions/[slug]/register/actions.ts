"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { guardFormRegistration } from "@/lib/abuse/public-callers";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { editionPath, orderPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { registerAttendee } from "@/lib/orders/register";
import { registrationRequestFromForm, type RegistrationRefusalReason } from "@/lib/orders/registration-form";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";
import type { PublicFormState } from "@/lib/forms/form-state";
import { publicAction, textFields } from "@/lib/web/public-action";

// Registration is public: there is no session to authorise; the domain checks everything else.
type RegistrationState = PublicFormState<RegistrationRefusalReason>;

export const registerFromForm = publicAction(
  textFields,
  async (_fields, formData, editionSlug: string, locale: string): Promise<RegistrationState> => {
    const { request, values } = registrationRequestFromForm(formData, locale);
    const guard = await guardFormRegistration(formData);
    const result = await registerAttendee(db(), editionSlug, request, { holdMinutes: env().HOLD_MINUTES, guard });
    if (!result.ok) {
      const fieldErrors = result.reason === "invalid" ? result.fieldErrors : undefined;
      return { reason: result.reason, fieldErrors, values };
    }
    const pageLocale = localeOr(locale);
    revalidatePath(editionPath(pageLocale, editionSlug));
    const orderPage = orderPath(pageLocale, result.order.accessToken);
    if (result.order.status === "CONFIRMED") redirect(orderPage);
    // A paid ticket: its seat is held; off to Stripe Checkout. If Stripe cannot be reached, the
    // order page keeps the hold and offers to try paying again.
    const checkout = await startCheckoutForOrder(result.order.id);
    redirect(checkout.ok ? checkout.url : orderPath(pageLocale, result.order.accessToken, { checkout: "unavailable" }));
  },
);
