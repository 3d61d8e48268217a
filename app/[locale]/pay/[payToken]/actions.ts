"use server";

import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { payPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { getOrderByPayToken } from "@/lib/orders/queries";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";

/**
 * "Pay by card instead", from a transfer order's payment link: off to Stripe Checkout, which brings the payer back
 * to this page (see startCheckout), never to the order's own link. The token is the only right asked.
 */
export async function payByCard(payToken: string, locale: string): Promise<void> {
  const order = await getOrderByPayToken(db(), payToken);
  if (!order) notFound();
  const checkout = await startCheckoutForOrder(order.id);
  if (checkout.ok) redirect(checkout.url);
  const unavailable = checkout.reason === "payment_unavailable";
  redirect(payPath(localeOr(locale), payToken, { checkout: unavailable ? "unavailable" : "closed" }));
}
