import type Stripe from "stripe";
import { isStripeError } from "./stripe-errors";
import type { Db } from "@/lib/db/prisma";
import { localized } from "@/lib/i18n/format";
import { looksLikeAccessToken } from "@/lib/orders/codes";
import { lockOrder, transitionOrder } from "@/lib/orders/transitions";

/** Stripe requires at least 30 minutes; one more keeps a slow request above the minimum. */
export const CHECKOUT_MINUTES = 31;
/** The hold outlives the session by this much, so a payment made at its last second still finds its seat. */
const HOLD_GRACE_MINUTES = 4;

export type CheckoutStart = { ok: true; url: string } | { ok: false; reason: "not_payable" | "payment_unavailable" };

/**
 * Sends a held order to Stripe Checkout: creates its session once (the idempotency key is the
 * order's), records the session on the order and makes sure the hold outlasts it. Asking again
 * returns the same open session.
 */
export async function startCheckout(db: Db, stripe: Stripe, orderId: string, { appUrl, now = new Date() }: { appUrl: string; now?: Date }): Promise<CheckoutStart> {
  const order = await db.order.findUnique({ where: { id: orderId }, include: { edition: true, tickets: { include: { ticketType: true } } } });
  if (!order || order.status !== "PENDING" || !order.holdExpiresAt || order.holdExpiresAt <= now) return { ok: false, reason: "not_payable" };
  try {
    if (order.paymentReference) {
      const existing = await stripe.checkout.sessions.retrieve(order.paymentReference);
      return existing.status === "open" && existing.url ? { ok: true, url: existing.url } : { ok: false, reason: "not_payable" };
    }
    const orderPage = `${appUrl}/${order.locale}/orders/${order.accessToken}`;
    const metadata = { orderId: order.id, reference: order.reference };
    const expiresAt = Math.floor(now.getTime() / 1000) + CHECKOUT_MINUTES * 60;
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: order.tickets.map((ticket) => ({
          quantity: 1,
          price_data: {
            currency: order.currency.toLowerCase(),
            unit_amount: ticket.priceCents,
            product_data: { name: `${localized(order.edition, "name", order.locale)} · ${localized(ticket.ticketType, "name", order.locale)}` },
          },
        })),
        client_reference_id: order.id,
        metadata,
        payment_intent_data: { metadata },
        customer_email: order.buyerEmail,
        locale: order.locale,
        expires_at: expiresAt,
        success_url: `${orderPage}?checkout=success`,
        cancel_url: `${orderPage}/cancel`,
      },
      { idempotencyKey: `checkout-session-${order.id}` },
    );
    const holdAtLeast = new Date((expiresAt + HOLD_GRACE_MINUTES * 60) * 1000);
    await db.order.updateMany({
      where: { id: order.id, status: "PENDING" },
      data: { paymentReference: session.id, ...(order.holdExpiresAt < holdAtLeast && { holdExpiresAt: holdAtLeast }) },
    });
    if (!session.url) return { ok: false, reason: "not_payable" };
    return { ok: true, url: session.url };
  } catch (error) {
    if (!isStripeError(error)) throw error;
    console.error("stripe: could not start checkout", { orderId, type: error.type, message: error.message });
    return { ok: false, reason: "payment_unavailable" };
  }
}

/** Ends a checkout session that is still open; one that already ended needs nothing. */
export async function expireCheckoutSession(stripe: Stripe, sessionId: string): Promise<void> {
  try {
    await stripe.checkout.sessions.expire(sessionId);
  } catch (error) {
    if (isStripeError(error, "StripeInvalidRequestError")) return;
    throw error;
  }
}

/**
 * The attendee left Stripe Checkout with "back": release the seat now rather than at the end of
 * the hold, and close the session so it can no longer be paid. Returns the order, for the form
 * to be refilled with what they typed.
 */
export async function cancelCheckout(db: Db, stripe: Stripe, accessToken: string, now = new Date()) {
  if (!looksLikeAccessToken(accessToken)) return null;
  const cancelled = await db.$transaction(async (tx) => {
    const found = await tx.order.findUnique({ where: { accessToken }, select: { id: true } });
    const order = found ? await lockOrder(tx, found.id) : null;
    if (order?.status === "PENDING") await transitionOrder(tx, order, "CANCELLED", { reason: "checkout_cancelled", now });
    return order;
  });
  if (cancelled?.status === "PENDING" && cancelled.paymentReference) {
    await expireCheckoutSession(stripe, cancelled.paymentReference).catch((error) => console.error("stripe: could not expire session", error));
  }
  return cancelled ? db.order.findUnique({ where: { id: cancelled.id }, include: { edition: true, tickets: { include: { ticketType: true } } } }) : null;
}
