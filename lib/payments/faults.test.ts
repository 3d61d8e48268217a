import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { getEditionDashboard } from "@/lib/reports/dashboard";
import { REFUND_FAILS_CARD } from "@/devtools/local-stripe/server";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { startCheckout } from "./checkout";
import { refundOrder, retryRefund, settleDueRefunds } from "./refunds";
import { handleStripeWebhook } from "./webhook";

const { db } = await useTestDatabase();
const { stripe, local, faults, waitForDelivery, payWithCard, amountRefunded } = await useLocalStripe();
const context = (now = new Date()) => ({ db, stripe, now, log: () => {} });
const deliver = (payload: string, signature: string, now?: Date) =>
  handleStripeWebhook(payload, signature, TEST_WEBHOOK_SECRET, context(now));
const lapseHold = (orderId: string) =>
  db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${orderId}::uuid`;
const orderOf = (id: string) =>
  db.order.findUniqueOrThrow({ where: { id }, include: { tickets: true, refunds: true, orphanPayments: true } });

async function heldOrder(capacity = 10) {
  const edition = await createEdition(db, { capacity, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("paid", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  const checkout = await startCheckout(db, stripe, result.order.id, { appUrl: "http://app.test" });
  if (!checkout.ok) throw new Error(checkout.reason);
  const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: result.order.id } });
  return { edition, orderId: result.order.id, sessionId: paymentReference! };
}

async function paidDelivery(sessionId: string, card?: string) {
  expect((await payWithCard(sessionId, card)).status).toBe(303);
  return waitForDelivery("checkout.session.completed", sessionId);
}

async function paidOrder(card?: string) {
  const held = await heldOrder();
  const paid = await paidDelivery(held.sessionId, card);
  expect((await deliver(paid.payload, paid.signature)).outcome).toBe("confirmed");
  const { paymentIntentId } = await db.order.findUniqueOrThrow({ where: { id: held.orderId } });
  return { ...held, paid, paymentIntentId: paymentIntentId! };
}

/** A late payment whose seat went to someone else: a refund is due. */
async function latePaymentWithoutSeat() {
  const held = await heldOrder(1);
  const paid = await paidDelivery(held.sessionId);
  await lapseHold(held.orderId);
  expect(
    (await registerAttendee(db, held.edition.slug, attendeeRequest("paid", randomUUID()), { holdMinutes: 35 })).ok,
  ).toBe(true);
  return { ...held, paid };
}

describe("refunds that Stripe does not accept at once", () => {
  it("are sent again when the paid event is redelivered, duplicate though it is", async () => {
    const { orderId, paid } = await latePaymentWithoutSeat();
    faults.failRefunds = true;
    try {
      expect((await deliver(paid.payload, paid.signature)).outcome).toBe("refund_due");
    } finally {
      faults.failRefunds = false;
    }
    const failed = await orderOf(orderId);
    expect(failed.refunds[0]).toMatchObject({ status: "PENDING", stripeRefundId: null, attempts: 1 });
    expect(failed.refunds[0].lastError).toContain("injected");
    expect(await amountRefunded(failed.paymentIntentId!)).toBe(0);

    expect((await deliver(paid.payload, paid.signature)).outcome).toBe("duplicate_event");
    const order = await orderOf(orderId);
    expect(order.refunds[0]).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastError: null });
    expect(await amountRefunded(order.paymentIntentId!)).toBe(4900);
  });

  it("are sent again by the sweep once their backoff has passed, and only once", async () => {
    const { orderId, paid } = await latePaymentWithoutSeat();
    faults.failRefunds = true;
    try {
      await deliver(paid.payload, paid.signature);
      // Still failing at the next try: the backoff grows.
      await settleDueRefunds(db, stripe, { now: new Date(Date.now() + 60_000) });
    } finally {
      faults.failRefunds = false;
    }
    const waiting = await orderOf(orderId);
    expect(waiting.refunds[0].attempts).toBe(2);
    expect(waiting.refunds[0].nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(await settleDueRefunds(db, stripe)).toBe(0);

    const later = new Date(Date.now() + 10 * 60_000);
    const sweeps = await Promise.all([
      settleDueRefunds(db, stripe, { now: later }),
      settleDueRefunds(db, stripe, { now: later }),
    ]);
    expect(sweeps.reduce((sum, sent) => sum + sent, 0)).toBe(1);
    const order = await orderOf(orderId);
    expect(order.refunds[0]).toMatchObject({ status: "SUCCEEDED", attempts: 3 });
    expect(await amountRefunded(order.paymentIntentId!)).toBe(4900);
    expect(await settleDueRefunds(db, stripe, { now: later })).toBe(0);
  });

  it("never refunds twice when an earlier send reached Stripe but its answer was lost", async () => {
    const { orderId, paymentIntentId } = await paidOrder();
    await refundOrder(db, stripe, orderId, { reason: "organiser" });
    const refund = await db.refund.findFirstOrThrow({ where: { orderId } });
    // As if the answer never came back: the row still says unsent.
    await db.refund.update({ where: { id: refund.id }, data: { status: "PENDING", stripeRefundId: null } });
    expect(await retryRefund(db, stripe, "refund", refund.id)).toBe("sent");
    expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({
      status: "SUCCEEDED",
      stripeRefundId: refund.stripeRefundId,
    });
    expect(await amountRefunded(paymentIntentId)).toBe(4900);
  });
});

describe("refund statuses and what happens in Stripe", () => {
  it("follows a refund that fails after it was accepted, and retries it from the back office", async () => {
    const { orderId, edition } = await paidOrder(REFUND_FAILS_CARD);
    expect(await refundOrder(db, stripe, orderId, { reason: "organiser" })).toBe("refunded");
    const accepted = await db.refund.findFirstOrThrow({ where: { orderId } });
    expect(accepted.status).toBe("SUCCEEDED");
    expect((await getEditionDashboard(db, { ...edition, ticketTypes: [] })).refundedCents).toBe(4900);

    const failed = await waitForDelivery("refund.failed", accepted.stripeRefundId!);
    expect((await deliver(failed.payload, failed.signature)).outcome).toBe("updated");
    expect(await db.refund.findFirstOrThrow({ where: { orderId } })).toMatchObject({
      status: "FAILED",
      lastError: "expired_or_canceled_card",
    });
    // Money that did not go back is not subtracted from revenue.
    const dashboard = await getEditionDashboard(db, { ...edition, ticketTypes: [] });
    expect(dashboard.refundedCents).toBe(0);
    expect(dashboard.refundsNeedingAttention).toEqual([
      expect.objectContaining({ status: "FAILED", order: expect.objectContaining({ reference: expect.any(String) }) }),
    ]);

    expect(await retryRefund(db, stripe, "refund", accepted.id)).toBe("sent");
    const retried = await db.refund.findFirstOrThrow({ where: { orderId } });
    expect(retried.stripeRefundId).not.toBe(accepted.stripeRefundId);
    expect(retried.status).toBe("SUCCEEDED");
  });

  it("cancels the ticket of an order refunded in Stripe's dashboard", async () => {
    const { orderId, edition, paymentIntentId } = await paidOrder();
    local.refundFromDashboard(paymentIntentId);
    const charge = (await stripe.paymentIntents.retrieve(paymentIntentId)).latest_charge as string;
    const refunded = await waitForDelivery("charge.refunded", charge);
    expect((await deliver(refunded.payload, refunded.signature)).outcome).toBe("refunded");
    expect((await deliver(refunded.payload, refunded.signature)).outcome).toBe("duplicate_event");
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: "REFUNDED", statusReason: "refunded_in_stripe" });
    expect(order.refunds[0]).toMatchObject({ status: "SUCCEEDED", amountCents: 4900 });
    expect(order.tickets.every((ticket) => ticket.status === "CANCELLED")).toBe(true);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(0);
  });

  it("cancels the ticket of a disputed payment, for good", async () => {
    const { orderId, edition, paymentIntentId, paid } = await paidOrder();
    const dispute = local.openDispute(paymentIntentId);
    const opened = await waitForDelivery("charge.dispute.created", dispute.id);
    expect((await deliver(opened.payload, opened.signature)).outcome).toBe("cancelled");
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: "CANCELLED", statusReason: "disputed" });
    expect(order.tickets.every((ticket) => ticket.status === "CANCELLED")).toBe(true);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(0);
    // Another event for the same payment arriving afterwards does not bring the ticket back.
    const twin = JSON.stringify({
      ...JSON.parse(paid.payload),
      id: `evt_${randomUUID()}`,
      type: "checkout.session.async_payment_succeeded",
    });
    const signature = stripe.webhooks.generateTestHeaderString({ payload: twin, secret: TEST_WEBHOOK_SECRET });
    expect((await deliver(twin, signature)).outcome).toBe("already_settled");
    expect((await orderOf(orderId)).status).toBe("CANCELLED");
  });
});

describe("payments that cannot be kept", () => {
  it("refunds a payment whose amount differs from its order", async () => {
    const held = await heldOrder();
    await db.order.update({ where: { id: held.orderId }, data: { amountCents: 5900 } });
    const paid = await paidDelivery(held.sessionId);
    expect((await deliver(paid.payload, paid.signature)).outcome).toBe("amount_mismatch");
    const order = await orderOf(held.orderId);
    expect(order.status).toBe("PENDING");
    expect(order.orphanPayments).toEqual([
      expect.objectContaining({ reason: "amount_mismatch", status: "SUCCEEDED", amountCents: 4900 }),
    ]);
    expect(await amountRefunded(order.orphanPayments[0].paymentIntentId)).toBe(4900);
  });

  it("refunds a second payment of an order paid via another session, even if the refund fails at first", async () => {
    const { orderId } = await paidOrder();
    const second = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        { quantity: 1, price_data: { currency: "eur", unit_amount: 4900, product_data: { name: "again" } } },
      ],
      client_reference_id: orderId,
      success_url: "http://app.test/ok",
      cancel_url: "http://app.test/cancel",
    });
    const paid = await paidDelivery(second.id);
    faults.failRefunds = true;
    try {
      expect((await deliver(paid.payload, paid.signature)).outcome).toBe("second_payment");
    } finally {
      faults.failRefunds = false;
    }
    const [orphan] = (await orderOf(orderId)).orphanPayments;
    expect(orphan).toMatchObject({ reason: "second_payment", status: "PENDING", attempts: 1 });
    expect(await settleDueRefunds(db, stripe, { now: new Date(Date.now() + 60_000) })).toBe(1);
    expect(await amountRefunded(orphan.paymentIntentId)).toBe(4900);
    expect((await orderOf(orderId)).status).toBe("CONFIRMED");
  });
});
