"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { guardFormRegistration } from "@/lib/abuse/public-callers";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { editionCache } from "@/lib/editions/edition-cache";
import { editionPath, orderPath, queueJoinPath, queuePath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import type { RegistrationRefusal } from "@/lib/orders/register";
import { orderRequestFromForm, type RegistrationRefusalReason } from "@/lib/orders/registration-form";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";
import type { PublicFormState } from "@/lib/forms/form-state";
import { publicAction, textFields } from "@/lib/web/public-action";
import { queueCookieName, queueKey, queueState } from "@/lib/queue/app-queue";
import { registerInTurn } from "@/lib/queue/register-in-turn";

// Registration is public: there is no session to authorise; the domain checks everything else.
type RegistrationState = PublicFormState<RegistrationRefusalReason>;

export const registerFromForm = publicAction(
  textFields,
  async (_fields, formData, editionSlug: string, locale: string): Promise<RegistrationState> => {
    const { request, values } = orderRequestFromForm(formData, locale);
    const guard = await guardFormRegistration(formData);
    const pageLocale = localeOr(locale);
    // The form is only shown to an admitted place (see the page); the place is checked again here, and kept.
    const state = await queueState(db(), editionSlug);
    const ticket = (await cookies()).get(queueCookieName(editionSlug))?.value ?? null;
    // A waiting-list offer's form carries the entry's token: the placement re-reads the offer and takes only its seats.
    const offer = formData.get("offer");
    const options = {
      holdMinutes: env().HOLD_MINUTES,
      guard,
      editions: editionCache(),
      key: state?.queue ? queueKey() : "",
      join: false,
      offer: typeof offer === "string" ? offer : undefined,
    };
    const result = await registerInTurn(db(), state, editionSlug, request, ticket, options);
    if (!result.ok && result.reason === "queue") {
      if (result.queue.status === "sold_out") return { reason: "sold_out", values, params: { left: 0 } };
      redirect((result.queue.status === "queued" ? queuePath : queueJoinPath)(pageLocale, editionSlug));
    }
    if (!result.ok && result.reason === "offer_unavailable")
      return { reason: result.reason, detail: result.detail, values };
    if (!result.ok)
      return {
        reason: result.reason,
        fieldErrors: refusalFieldErrors(result, "tickets" in request),
        values,
        params: refusalParams(result),
      };
    revalidatePath(editionPath(pageLocale, editionSlug));
    const orderPage = orderPath(pageLocale, result.order.accessToken);
    // Nothing to pay, or to be paid by transfer: the order page says what comes next (the quote, for a transfer).
    if (result.order.status === "CONFIRMED" || result.order.paymentMethod === "TRANSFER") redirect(orderPage);
    // A paid ticket: its seat is held; off to Stripe Checkout. If Stripe cannot be reached, the
    // order page keeps the hold and offers to try paying again.
    const checkout = await startCheckoutForOrder(result.order.id);
    redirect(checkout.ok ? checkout.url : orderPath(pageLocale, result.order.accessToken, { checkout: "unavailable" }));
  },
);

/** Field errors, and in a group the tickets whose attendee already holds a seat, beside their email. */
function refusalFieldErrors(refusal: RegistrationRefusal, group: boolean): Record<string, string[]> | undefined {
  if (refusal.reason === "invalid") return refusal.fieldErrors;
  if (refusal.reason !== "already_registered" || !group) return undefined;
  return Object.fromEntries(
    refusal.positions.map((position) => [`tickets.${position - 1}.attendee.email`, ["already_registered"]]),
  );
}

/** A group too large for the seats left hears how many there are: overall ("left") and per type asked. */
function refusalParams(refusal: RegistrationRefusal): Record<string, number> | undefined {
  if (refusal.reason !== "sold_out") return undefined;
  const byType = Object.entries(refusal.leftByCode).map(([code, left]) => [`left.${code}`, left]);
  return { left: refusal.left, ...Object.fromEntries(byType) };
}
