"use server";

import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { isLocale } from "@/lib/i18n/locales";
import { getOrderByAccessToken } from "@/lib/orders/queries";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";

/** "Pay now" on a held order: back to its Stripe Checkout session (the same one, if still open). */
export async function payOrder(accessToken: string, locale: string): Promise<void> {
  const order = await getOrderByAccessToken(db(), accessToken);
  const pageLocale = isLocale(locale) ? locale : "fr";
  if (!order) redirect(`/${pageLocale}`);
  const checkout = await startCheckoutForOrder(order.id);
  redirect(checkout.ok ? checkout.url : `/${pageLocale}/orders/${accessToken}?checkout=${checkout.reason === "payment_unavailable" ? "unavailable" : "closed"}`);
}
