import { createTranslator } from "next-intl";
import type Stripe from "stripe";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { isStripeError } from "./stripe-errors";
import type { CheckoutSessionRead } from "./stripe-reads";
import { holdRunningSql } from "@/lib/capacity/seats";
import type { Db, Prisma } from "@/lib/db/prisma";
import { localized } from "@/lib/i18n/format";
import { looksLikeAccessToken } from "@/lib/orders/codes";
import { lockOrder, transitionOrder } from "@/lib/orders/transitions";
import { absoluteUrl, orderPath, payPath } from "@/lib/http/paths";
import { log } from "@/lib/log/logger";

/** Stripe requires at least 30 minutes; one more keeps a slow request, or a retry of it, above the minimum. */
export const CHECKOUT_MINUTES = 31;
const STRIPE_MINIMUM_MINUTES = 30;
/** The hold outlives the session by this much, so a payment made at its last second still finds its seat. */
const HOLD_GRACE_MINUTES = 4;

export type CheckoutStart = { ok: true; url: string } | { ok: false; reason: "not_payable" | "payment_unavailable" };

/**
 * Sends a held order to Stripe Checkout. Each attempt's parameters (its number, which names the
 * idempotency key, and its expiry) are fixed on the order under its row lock before Stripe is
 * called, so concurrent clicks and a retry after a lost write send the very same request and get
 * the very same session back. A Stripe failure ends the attempt (Stripe replays a failed answer
 * to the same key), and so does time: an attempt's expiry must stay 30 minutes ahead. The hold is
 * extended to outlast the session only while it is still live, by the database's clock.
 */
export async function startCheckout(
  db: Db,
  stripe: Stripe,
  orderId: string,
  { appUrl, now = new Date() }: { appUrl: string; now?: Date },
): Promise<CheckoutStart> {
  const attempt = await db.$transaction(async (tx): Promise<CheckoutAttempt | { sessionId: string } | null> => {
    const order = await lockOrder(tx, orderId);
    if (!order || order.status !== "PENDING" || !order.holdLive) return null;
    if (order.paymentReference) return { sessionId: order.paymentReference };
    const [current] = await tx.$queryRaw<{ checkoutAttempt: number; checkoutExpiresAt: Date | null }[]>`
      SELECT "checkoutAttempt", "checkoutExpiresAt" FROM "Order" WHERE id = ${orderId}::uuid`;
    const msLeft = current.checkoutExpiresAt ? current.checkoutExpiresAt.getTime() - now.getTime() : 0;
    const stillValid = msLeft >= STRIPE_MINIMUM_MINUTES * 60_000;
    if (stillValid) {
      return { number: current.checkoutAttempt, expiresAt: current.checkoutExpiresAt! };
    }
    const expiresAt = new Date((Math.floor(now.getTime() / 1000) + CHECKOUT_MINUTES * 60) * 1000);
    const number = current.checkoutAttempt + 1;
    await tx.order.update({ where: { id: orderId }, data: { checkoutAttempt: number, checkoutExpiresAt: expiresAt } });
    return { number, expiresAt };
  });
  if (!attempt) return { ok: false, reason: "not_payable" };
  try {
    if ("sessionId" in attempt) {
      return payableUrl(await stripe.checkout.sessions.retrieve(attempt.sessionId));
    }
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: ORDER_FOR_SESSION });
    const session: CheckoutSessionRead = await stripe.checkout.sessions.create(
      sessionParams(order, appUrl, attempt.expiresAt),
      { idempotencyKey: `checkout-session-${order.id}-${attempt.number}` },
    );
    const holdAtLeast = new Date(attempt.expiresAt.getTime() + HOLD_GRACE_MINUTES * 60_000);
    const [recorded] = await db.$queryRaw<{ paymentReference: string }[]>`
      UPDATE "Order" SET "paymentReference" = coalesce("paymentReference", ${session.id}),
                         "holdExpiresAt" = greatest("holdExpiresAt", ${holdAtLeast}), "updatedAt" = clock_timestamp()
      WHERE id = ${orderId}::uuid AND status = 'PENDING' AND ${holdRunningSql()}
      RETURNING "paymentReference"`;
    if (!recorded || recorded.paymentReference !== session.id) {
      // The hold lapsed during the call (its seat may be someone else's now), or another attempt won.
      await expireCheckoutSession(stripe, session.id);
      if (!recorded) return { ok: false, reason: "not_payable" };
      const winner = await stripe.checkout.sessions.retrieve(recorded.paymentReference);
      return payableUrl(winner);
    }
    if (!session.url) return { ok: false, reason: "not_payable" };
    return { ok: true, url: session.url };
  } catch (error) {
    if (!isStripeError(error)) throw error;
    log.warn({ orderId, type: error.type, reason: error.message }, "stripe: could not start checkout");
    if (!("sessionId" in attempt)) {
      await db.order.updateMany({
        where: { id: orderId, checkoutAttempt: attempt.number, paymentReference: null },
        data: { checkoutExpiresAt: null },
      });
    }
    return { ok: false, reason: "payment_unavailable" };
  }
}

type CheckoutAttempt = { number: number; expiresAt: Date };

const ORDER_FOR_SESSION = {
  edition: true,
  tickets: { include: { ticketType: true, voucher: { select: { code: true } } } },
} as const;

type OrderForSession = Prisma.OrderGetPayload<{ include: typeof ORDER_FOR_SESSION }>;

function payableUrl(session: CheckoutSessionRead): CheckoutStart {
  if (session.status !== "open" || !session.url) return { ok: false, reason: "not_payable" };
  return { ok: true, url: session.url };
}

function sessionParams(order: OrderForSession, appUrl: string, expiresAt: Date): Stripe.Checkout.SessionCreateParams {
  const orderPage = absoluteUrl(appUrl, orderPath(order.locale, order.accessToken));
  // A transfer order's card payment may be made by someone else (from its payment link): Stripe sends them back to
  // that page, never to the order's own link; and going back does not cancel the order, still awaiting a transfer.
  const payPage = order.payToken && absoluteUrl(appUrl, payPath(order.locale, order.payToken));
  const metadata = { orderId: order.id, reference: order.reference };
  const t = createTranslator({ locale: order.locale, messages: order.locale === "fr" ? fr : en });
  const lineName = (ticket: OrderForSession["tickets"][number]) => {
    const [edition, type] = [order.edition, ticket.ticketType].map((named) => localized(named, "name", order.locale));
    const item = `${edition} · ${type}`;
    return ticket.voucher ? t("voucherCheckout.stripeLine", { item, code: ticket.voucher.code }) : item;
  };
  // One line per ticket type, price and code, with its quantity, as the buyer chose them; a free type in a paid
  // order shows as a line at 0 (Stripe accepts no-cost line items), so the receipt lists every ticket. A code's
  // price is the line's own (no Stripe coupon): Stripe's total is then our receipt's, to the cent.
  const lines = new Map<string, { ticket: OrderForSession["tickets"][number]; quantity: number }>();
  for (const ticket of [...order.tickets].sort((a, b) => a.position - b.position)) {
    if (ticket.status !== "ACTIVE") continue;
    const key = `${ticket.ticketTypeId}:${ticket.priceCents}:${ticket.voucherId ?? ""}`;
    const line = lines.get(key) ?? { ticket, quantity: 0 };
    lines.set(key, { ...line, quantity: line.quantity + 1 });
  }
  return {
    mode: "payment",
    line_items: [...lines.values()].map(({ ticket, quantity }) => ({
      quantity,
      price_data: {
        currency: order.currency.toLowerCase(),
        unit_amount: ticket.priceCents,
        product_data: { name: lineName(ticket) },
      },
    })),
    client_reference_id: order.id,
    metadata,
    payment_intent_data: { metadata },
    customer_email: order.buyerEmail,
    locale: order.locale,
    expires_at: Math.floor(expiresAt.getTime() / 1000),
    success_url: payPage ? `${payPage}?checkout=success` : `${orderPage}?checkout=success`,
    cancel_url: payPage ? `${payPage}?checkout=back` : `${orderPage}/cancel`,
  };
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
 * to be refilled with what they typed (the offer's form, for an order placed with one).
 */
export async function cancelCheckout(db: Db, stripe: Stripe, accessToken: string, now = new Date()) {
  if (!looksLikeAccessToken(accessToken)) return null;
  const cancelled = await db.$transaction(async (tx) => {
    const found = await tx.order.findUnique({ where: { accessToken }, select: { id: true } });
    const order = found ? await lockOrder(tx, found.id) : null;
    if (order?.status === "PENDING")
      await transitionOrder(tx, order, "CANCELLED", { reason: "checkout_cancelled", now });
    return order;
  });
  if (cancelled?.status === "PENDING" && cancelled.paymentReference) {
    await expireCheckoutSession(stripe, cancelled.paymentReference).catch((error) =>
      log.warn({ err: error, orderId: cancelled.id }, "stripe: could not expire session"),
    );
  }
  return cancelled
    ? db.order.findUnique({
        where: { id: cancelled.id },
        include: {
          edition: true,
          tickets: { include: { ticketType: true, voucher: { select: { code: true } } } },
          // Placed with a waiting-list offer: the form to go back to is the offer's.
          waitingListOffers: { select: { entry: { select: { token: true } } } },
        },
      })
    : null;
}
