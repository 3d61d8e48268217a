import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { isLocale } from "@/lib/i18n/locales";
import { cancelCheckout } from "@/lib/payments/checkout";
import { stripe } from "@/lib/payments/stripe";
import { env } from "@/lib/env";
import { edgeRoute } from "@/lib/http/edge";

/**
 * Stripe Checkout's "back" link: release the held seat at once and return to the registration
 * form, refilled from the cancelled order. A GET because that is how Stripe sends people back;
 * doing it twice changes nothing more.
 */
export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { locale, token }) => {
  const pageLocale = isLocale(locale) ? locale : "fr";
  const order = await cancelCheckout(db(), stripe(), token);
  if (!order) return NextResponse.redirect(new URL(`/${pageLocale}`, env().APP_URL), 303);
  const ticketType = order.tickets[0]?.ticketType.code ?? "";
  const form = new URL(`/${pageLocale}/editions/${order.edition.slug}/register`, env().APP_URL);
  form.searchParams.set("ticket", ticketType);
  form.searchParams.set("from", token);
  return NextResponse.redirect(form, 303);
});
