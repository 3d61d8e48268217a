import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { DEFENCE_REFUSAL_STATUS, guardApiRegistration, refusalDetails } from "@/lib/abuse/public-callers";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { EdgeRefusal, edgeRoute, readJsonBody } from "@/lib/http/edge";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import { registerAttendee } from "@/lib/orders/register";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 64 * 1024;

const STATUS_FOR_REFUSAL = {
  invalid: 422,
  not_found: 404,
  sold_out: 409,
  already_registered: 409,
  edition_closed: 409,
  not_started: 409,
  ended: 409,
  ...DEFENCE_REFUSAL_STATUS,
} as const;

export const POST = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const body = await readJsonBody(request, MAX_BODY_BYTES);

  const guard = await guardApiRegistration(request, body);
  const result = await registerAttendee(db(), slug, body, { holdMinutes: env().HOLD_MINUTES, guard });
  if (result.ok) {
    const { order } = result;
    // A paid ticket's seat is held: hand back where to pay (null if Stripe cannot be reached now).
    const checkout = order.status === "PENDING" ? await startCheckoutForOrder(order.id) : null;
    return NextResponse.json(
      {
        orderId: order.id,
        reference: order.reference,
        status: order.status.toLowerCase(),
        amountCents: order.amountCents,
        currency: order.currency,
        holdExpiresAt: order.holdExpiresAt?.toISOString() ?? null,
        confirmationUrl: new URL(`/${order.locale}/orders/${order.accessToken}`, env().APP_URL).toString(),
        checkoutUrl: checkout?.ok ? checkout.url : null,
      },
      { status: 201 },
    );
  }
  if (result.reason !== "invalid") {
    const details = refusalDetails(result.reason, slug, localeOf(body));
    throw new EdgeRefusal(STATUS_FOR_REFUSAL[result.reason], result.reason, details);
  }

  const t = await getTranslations({ locale: localeOf(body), namespace: "fieldError" });
  const fieldErrors = Object.fromEntries(
    Object.entries(result.fieldErrors).map(([field, codes]) => [field, codes.map((code) => ({ code, message: t(code) }))]),
  );
  throw new EdgeRefusal(422, "invalid", { fieldErrors });
});

function localeOf(body: unknown): Locale {
  const locale = (body as { locale?: unknown } | null)?.locale;
  return isLocale(locale) ? locale : "en";
}
