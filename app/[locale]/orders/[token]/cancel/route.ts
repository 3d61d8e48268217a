import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { edgeRoute } from "@/lib/http/edge";
import { absoluteUrl, homePath, registerPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { cancelCheckout } from "@/lib/payments/checkout";
import { stripe } from "@/lib/payments/stripe";

/**
 * Stripe Checkout's "back" link: release the held seat at once and return to the registration
 * form, refilled from the cancelled order. A GET because that is how Stripe sends people back;
 * doing it twice changes nothing more.
 */
export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { locale, token }) => {
  const pageLocale = localeOr(locale);
  const order = await cancelCheckout(db(), stripe(), token);
  if (!order) return NextResponse.redirect(absoluteUrl(env().APP_URL, homePath(pageLocale)), 303);
  const ticket = order.tickets[0]?.ticketType.code ?? "";
  // The order's code comes back with it, so that the refilled form shows the prices it was placed at.
  const code = order.tickets.find((placed) => placed.voucher)?.voucher?.code;
  // An offer's seats went back to its block: its form again, while the offer lasts.
  const offer = order.waitingListOffers[0]?.entry.token;
  const form = registerPath(pageLocale, order.edition.slug, { ticket, from: token, code, offer });
  return NextResponse.redirect(absoluteUrl(env().APP_URL, form), 303);
});
