import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { startCheckout } from "./checkout";
import { refundOrder } from "./refunds";
import { handleStripeWebhook, webhookMetricOutcome } from "./webhook";

const { db } = await useTestDatabase();
const { stripe, local, waitForDelivery, payWithCard, amountRefunded } = await useLocalStripe();
const logged: string[] = [];
const context = (now = new Date()) => ({ db, stripe, now, log: (message: string) => void logged.push(message) });
const deliver = (payload: string, signature: string, now?: Date) =>
  handleStripeWebhook(payload, signature, TEST_WEBHOOK_SECRET, context(now));

/** A paid order held for `holdMinutes`, its checkout session open in the local Stripe. */
async function heldOrder(options: { capacity?: number; holdMinutes?: number; label?: string } = {}) {
  const edition = await createEdition(db, {
    capacity: options.capacity ?? 10,
    ticketTypes: [{ code: "paid", priceCents: 4900 }],
  });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("paid", options.label ?? randomUUID()), {
    holdMinutes: options.holdMinutes ?? 35,
  });
  if (!result.ok) throw new Error(result.reason);
  const checkout = await startCheckout(db, stripe, result.order.id, { appUrl: "http://app.test" });
  if (!checkout.ok) throw new Error(checkout.reason);
  const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: result.order.id } });
  return { edition, orderId: result.order.id, sessionId: paymentReference! };
}

async function paidDelivery(sessionId: string) {
  expect((await payWithCard(sessionId)).status).toBe(303);
  return waitForDelivery("checkout.session.completed", sessionId);
}

/** Ends an order's hold by the database's clock, the one hold decisions use. */
const lapseHold = (orderId: string) =>
  db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${orderId}::uuid`;

const orderOf = (id: string) =>
  db.order.findUniqueOrThrow({ where: { id }, include: { tickets: true, transitions: true, refunds: true } });

function signed(event: object, secret = TEST_WEBHOOK_SECRET, timestamp?: number) {
  const payload = JSON.stringify(event);
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}

describe("checkout sessions", () => {
  it("creates one session per order, with our order id, and a hold that outlasts it", async () => {
    const { orderId, sessionId } = await heldOrder();
    const again = await startCheckout(db, stripe, orderId, { appUrl: "http://app.test" });
    expect(again).toEqual({ ok: true, url: `${local.url}/checkout/${sessionId}` });
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({
      client_reference_id: orderId,
      metadata: { orderId },
      amount_total: 4900,
      currency: "eur",
      status: "open",
    });
    const order = await orderOf(orderId);
    expect(order.holdExpiresAt!.getTime() / 1000).toBeGreaterThanOrEqual(session.expires_at);
  });
});

describe("handleStripeWebhook", () => {
  it("confirms a paid order from a validly signed checkout.session.completed", async () => {
    const { orderId, sessionId } = await heldOrder();
    const { payload, signature } = await paidDelivery(sessionId);
    expect(await deliver(payload, signature)).toEqual({ ok: true, outcome: "confirmed" });
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: "CONFIRMED", paymentReference: sessionId, holdExpiresAt: null });
    expect(order.paymentIntentId).toMatch(/^pi_/);
    expect(order.transitions.filter((t) => t.toStatus === "CONFIRMED")).toHaveLength(1);
  });

  it("refuses tampered, stale and wrongly signed payloads with 400 and changes nothing", async () => {
    const { orderId, sessionId } = await heldOrder();
    const { payload, signature } = await paidDelivery(sessionId);
    const tampered = payload.replace('"amount_total":4900', '"amount_total":100');
    expect(tampered).not.toBe(payload);
    expect(await deliver(tampered, signature)).toEqual({ ok: false, reason: "invalid_signature" });
    const event = JSON.parse(payload);
    const stale = signed(event, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600);
    expect((await deliver(stale.payload, stale.signature)).ok).toBe(false);
    const forged = signed(event, "whsec_someone_else");
    expect((await deliver(forged.payload, forged.signature)).ok).toBe(false);
    expect((await deliver(payload, "")).ok).toBe(false);
    expect((await orderOf(orderId)).status).toBe("PENDING");
    expect(await db.stripeEvent.count({ where: { id: event.id } })).toBe(0);
  });

  it("confirms once when the same event arrives ten times at once", async () => {
    const { orderId, sessionId } = await heldOrder();
    const { payload, signature } = await paidDelivery(sessionId);
    const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(payload, signature)));
    expect(responses.every((response) => response.ok)).toBe(true);
    expect(responses.map((response) => response.outcome).sort()).toEqual([
      "confirmed",
      ...Array(9).fill("duplicate_event"),
    ]);
    const order = await orderOf(orderId);
    expect(order.transitions.filter((t) => t.toStatus === "CONFIRMED")).toHaveLength(1);
    expect(order.tickets).toHaveLength(1);
  });

  it("keeps a confirmed order confirmed when a stale expiry or a second success arrives after it", async () => {
    const { orderId, sessionId } = await heldOrder();
    const paid = await paidDelivery(sessionId);
    const session = JSON.parse(paid.payload).data.object;
    const asyncSucceeded = signed({
      ...JSON.parse(paid.payload),
      id: `evt_${randomUUID()}`,
      type: "checkout.session.async_payment_succeeded",
    });
    const expired = signed({
      ...JSON.parse(paid.payload),
      id: `evt_${randomUUID()}`,
      type: "checkout.session.expired",
      data: { object: { ...session, status: "expired" } },
    });
    // Out of order: the async success first, then the completion, then a stale expiry.
    expect((await deliver(asyncSucceeded.payload, asyncSucceeded.signature)).outcome).toBe("confirmed");
    expect((await deliver(paid.payload, paid.signature)).outcome).toBe("already_confirmed");
    expect((await deliver(expired.payload, expired.signature)).outcome).toBe("not_pending");
    const order = await orderOf(orderId);
    expect(order.status).toBe("CONFIRMED");
    expect(order.transitions.filter((t) => t.toStatus === "CONFIRMED")).toHaveLength(1);
  });

  it("acknowledges and logs events for orders it does not know", async () => {
    const { sessionId } = await heldOrder();
    const paid = await paidDelivery(sessionId);
    const event = JSON.parse(paid.payload);
    const unknown = signed({
      ...event,
      id: `evt_${randomUUID()}`,
      data: { object: { ...event.data.object, client_reference_id: randomUUID(), metadata: {} } },
    });
    expect(await deliver(unknown.payload, unknown.signature)).toEqual({ ok: true, outcome: "unknown_order" });
    const garbage = signed({
      ...event,
      id: `evt_${randomUUID()}`,
      data: { object: { ...event.data.object, client_reference_id: "not-a-uuid", metadata: {} } },
    });
    expect((await deliver(garbage.payload, garbage.signature)).outcome).toBe("unknown_order");
    expect(logged.filter((line) => line.includes("unknown_order")).length).toBeGreaterThanOrEqual(2);
    const other = signed({ ...event, id: `evt_${randomUUID()}`, type: "customer.created" });
    expect(await deliver(other.payload, other.signature)).toEqual({ ok: true, ignored: "customer.created" });
  });

  it("releases the seat when the session expires or an asynchronous payment fails", async () => {
    const expiring = await heldOrder({ capacity: 1 });
    await stripe.checkout.sessions.expire(expiring.sessionId);
    const expired = await waitForDelivery("checkout.session.expired", expiring.sessionId);
    expect((await deliver(expired.payload, expired.signature)).outcome).toBe("released");
    expect(await orderOf(expiring.orderId)).toMatchObject({ status: "EXPIRED", statusReason: "checkout_expired" });
    expect((await getSeatUsage(db, expiring.edition.id, new Date())).held).toBe(0);

    const failing = await heldOrder();
    const event = JSON.parse((await paidDelivery(failing.sessionId)).payload);
    const failed = signed({ ...event, id: `evt_${randomUUID()}`, type: "checkout.session.async_payment_failed" });
    expect((await deliver(failed.payload, failed.signature)).outcome).toBe("released");
    expect(await orderOf(failing.orderId)).toMatchObject({ status: "CANCELLED", statusReason: "payment_failed" });
  });

  it("gives a late payment the seat when one is still free, even once the edition is closed", async () => {
    const { edition, orderId, sessionId } = await heldOrder({ capacity: 2 });
    const paid = await paidDelivery(sessionId);
    await lapseHold(orderId);
    await db.edition.update({ where: { id: edition.id }, data: { status: "CLOSED" } });
    expect((await deliver(paid.payload, paid.signature)).outcome).toBe("confirmed_late");
    expect(await orderOf(orderId)).toMatchObject({ status: "CONFIRMED", statusReason: "late_payment" });
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(1);
  });

  it("refunds a late payment in full, once, when its seat has gone to someone else", async () => {
    const { edition, orderId, sessionId } = await heldOrder({ capacity: 1 });
    const paid = await paidDelivery(sessionId);
    // The hold lapsed and the only seat went to the next person.
    await lapseHold(orderId);
    const next = await registerAttendee(db, edition.slug, attendeeRequest("paid", "next"), { holdMinutes: 35 });
    expect(next.ok).toBe(true);

    const responses = await Promise.all(Array.from({ length: 3 }, () => deliver(paid.payload, paid.signature)));
    expect(responses.map((r) => r.outcome).sort()).toEqual(["duplicate_event", "duplicate_event", "refund_due"]);
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: "REFUNDED", statusReason: "late_payment_no_seat" });
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ status: "SUCCEEDED", amountCents: 4900 });
    expect(order.tickets.every((ticket) => ticket.status === "CANCELLED")).toBe(true);
    expect(await amountRefunded(order.paymentIntentId!)).toBe(4900);
    const usage = await getSeatUsage(db, edition.id);
    expect(usage.confirmed + usage.held).toBe(1);
  });
});

describe("webhookMetricOutcome", () => {
  it("labels a delivery handled, duplicate, ignored or refused for its signature", async () => {
    const { sessionId } = await heldOrder();
    const { payload, signature } = await paidDelivery(sessionId);
    const other = signed({ ...JSON.parse(payload), id: `evt_${randomUUID()}`, type: "customer.created" });
    const labels = [
      await deliver(payload, signature),
      await deliver(payload, signature),
      await deliver(other.payload, other.signature),
      await deliver(payload, "t=1,v1=forged"),
    ].map(webhookMetricOutcome);
    expect(labels).toEqual(["handled", "duplicate", "ignored", "bad_signature"]);
  });
});

describe("a delivery that fails", () => {
  /** The real database, its transactions failing as a lost connection does, mid-handling. */
  const failingTransactions = (error: Error) =>
    new Proxy(db, {
      get: (target, property) =>
        property === "$transaction" ? () => Promise.reject(error) : Reflect.get(target, property),
    });

  it("is kept for the back office: attempts counted, the error cut and without addresses, never the body", async () => {
    const { orderId, sessionId } = await heldOrder();
    const { payload, signature } = await paidDelivery(sessionId);
    const event = JSON.parse(payload);
    const lost = new Error(`connection lost while writing for ada.lost@example.org ${"x ".repeat(300)}`);
    const attempt = (now: Date) =>
      handleStripeWebhook(payload, signature, TEST_WEBHOOK_SECRET, { ...context(now), db: failingTransactions(lost) });
    const first = new Date();
    await expect(attempt(first)).rejects.toBe(lost);
    await expect(attempt(new Date(first.getTime() + 60_000))).rejects.toBe(lost);

    const failure = await db.stripeEventFailure.findUniqueOrThrow({ where: { eventId: event.id } });
    expect(failure).toMatchObject({
      type: "checkout.session.completed",
      attempts: 2,
      firstFailedAt: first,
      lastFailedAt: new Date(first.getTime() + 60_000),
    });
    expect(failure.lastError).toHaveLength(500);
    expect(failure.lastError).toMatch(/^Error: connection lost while writing for <address> (x )+x?$/);
    expect((await orderOf(orderId)).status).toBe("PENDING");
    // Stripe's next attempt is handled: the event is recorded, which takes it off the back office's list.
    expect(await deliver(payload, signature)).toEqual({ ok: true, outcome: "confirmed" });
    expect(await db.stripeEvent.count({ where: { id: event.id } })).toBe(1);
  });
});

describe("refundOrder", () => {
  it("refunds a paid order in full, frees its seat, and does nothing more when called again", async () => {
    const { edition, orderId, sessionId } = await heldOrder();
    const paid = await paidDelivery(sessionId);
    await deliver(paid.payload, paid.signature);
    const outcomes = await Promise.all([
      refundOrder(db, stripe, orderId, { reason: "organiser" }),
      refundOrder(db, stripe, orderId, { reason: "organiser" }),
    ]);
    expect(outcomes.sort()).toEqual(["already_refunded", "refunded"]);
    const order = await orderOf(orderId);
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ status: "SUCCEEDED", reason: "organiser" });
    expect(await amountRefunded(order.paymentIntentId!)).toBe(4900);
    expect((await getSeatUsage(db, edition.id, new Date())).confirmed).toBe(0);
    expect(await refundOrder(db, stripe, randomUUID(), { reason: "organiser" })).toBe("unknown_order");
  });

  it("does not refund an order that was never paid", async () => {
    const { orderId } = await heldOrder();
    expect(await refundOrder(db, stripe, orderId, { reason: "organiser" })).toBe("not_refundable");
  });
});
