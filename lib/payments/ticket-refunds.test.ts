import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { createEdition } from "@/devtools/testing/fixtures";
import { type CapturedDelivery, TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "@/lib/orders/register";
import { getEditionDashboard } from "@/lib/reports/dashboard";
import { ticketStanding } from "@/lib/tickets/standing";
import { cancelOneTicket, refundOrder, retryRefund, settleDueRefunds } from "./refunds";
import { handleStripeWebhook } from "./webhook";

const { db } = await useTestDatabase();
const { stripe, local, faults, payOrder, amountRefunded, deliveries } = await useLocalStripe();
const deliver = (payload: string, signature: string) =>
  handleStripeWebhook(payload, signature, TEST_WEBHOOK_SECRET, { db, stripe, now: new Date(), log: () => {} });
const orderOf = (id: string) =>
  db.order.findUniqueOrThrow({
    where: { id },
    include: { tickets: { orderBy: { position: "asc" } }, refunds: { orderBy: { createdAt: "asc" } } },
  });

/** A confirmed group paid by card through Checkout: a 49 € ticket, a 15 € one and a free one. */
async function paidGroup(types: ("standard" | "student" | "speaker")[] = ["standard", "student", "speaker"]) {
  const edition = await createEdition(db, {
    capacity: 10,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "student", priceCents: 1500 },
      { code: "speaker", priceCents: 0 },
    ],
  });
  const tickets = types.map((ticketType, i) => ({
    ticketType,
    attendee: { firstName: "Ada", lastName: `Member ${i + 1}`, email: `${randomUUID()}@example.org` },
  }));
  const buyer = { firstName: "Grace", lastName: "Hopper", email: `${randomUUID()}@example.org` };
  const placed = await registerAttendee(db, edition.slug, { buyer, tickets, locale: "en" }, { holdMinutes: 35 });
  if (!placed.ok) throw new Error(placed.reason);
  await payOrder(db, placed.order.id);
  const order = await orderOf(placed.order.id);
  expect(order.status).toBe("CONFIRMED");
  return { edition, order, paymentIntentId: order.paymentIntentId! };
}

const cancel = (orderId: string, ticketId: string, refund = true) =>
  cancelOneTicket(db, stripe, { orderId, ticketId }, { refund, reason: "buyer_cancelled_ticket" });

describe("cancelling one ticket of a paid group", () => {
  it("refunds that ticket's price alone, frees its seat and stops its code; the others stay valid", async () => {
    const { edition, order, paymentIntentId } = await paidGroup();
    const [standard, student, speaker] = order.tickets;
    expect(await cancel(order.id, student.id)).toBe("refunded");

    const after = await orderOf(order.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.tickets.map((ticket) => ticket.status)).toEqual(["ACTIVE", "REFUNDED", "ACTIVE"]);
    expect(after.refunds).toEqual([
      expect.objectContaining({ ticketId: student.id, amountCents: 1500, status: "SUCCEEDED", attempts: 1 }),
    ]);
    const dashboard = await getEditionDashboard(db, edition);
    expect([dashboard.grossCents, dashboard.refundedCents, dashboard.netCents]).toEqual([6400, 1500, 4900]);
    expect(Object.fromEntries(dashboard.ticketTypes.map((type) => [type.code, type.netCents]))).toEqual({
      standard: 4900,
      student: 0,
      speaker: 0,
    });
    expect(await amountRefunded(paymentIntentId)).toBe(1500);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(2);
    expect(ticketStanding(after.tickets[1], after)).toBe("refunded");
    expect(ticketStanding(after.tickets[0], after)).toBe("valid");

    // Stripe's refund carries our ids, so a later look-up finds it.
    const { data } = await stripe.refunds.list({ payment_intent: paymentIntentId });
    expect(data[0].metadata).toMatchObject({ refundId: after.refunds[0].id, orderId: order.id, ticketId: student.id });
    const email = await db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id, kind: "order_refunded" } });
    expect(email).toMatchObject({
      toAddress: order.buyerEmail,
      payload: expect.objectContaining({ amountCents: 1500 }),
    });
    expect(email.payload).toMatchObject({ ticket: { id: student.id, position: 2, holder: "Ada Member 2" } });

    // The free ticket is only cancelled; the last one ends the order, refunded since money went back.
    expect(await cancel(order.id, speaker.id)).toBe("cancelled");
    expect((await orderOf(order.id)).status).toBe("CONFIRMED");
    expect(await cancel(order.id, standard.id)).toBe("refunded");
    const last = await orderOf(order.id);
    expect(last.status).toBe("REFUNDED");
    expect(last.tickets.map((ticket) => ticket.status)).toEqual(["REFUNDED", "REFUNDED", "CANCELLED"]);
    expect(last.refunds.map((refund) => refund.amountCents)).toEqual([1500, 4900]);
    expect(await amountRefunded(paymentIntentId)).toBe(6400);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(0);
  });

  it("is refunded once under a double click and under concurrent requests", async () => {
    const { order, paymentIntentId } = await paidGroup();
    const student = order.tickets[1];
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => cancel(order.id, student.id)));
    expect(outcomes.filter((outcome) => outcome === "refunded")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "already_refunded")).toHaveLength(3);
    expect(await cancel(order.id, student.id)).toBe("already_refunded");
    expect((await orderOf(order.id)).refunds).toHaveLength(1);
    expect(await amountRefunded(paymentIntentId)).toBe(1500);
  });

  it("starts no second send while Stripe has not answered the first (a double click, a concurrent one)", async () => {
    const { order, paymentIntentId } = await paidGroup();
    let open = () => {};
    faults.refundGate = new Promise<void>((resolve) => (open = resolve));
    try {
      const first = cancel(order.id, order.tickets[1].id);
      await expect.poll(() => faults.refundsWaiting).toBe(1);
      const second = cancel(order.id, order.tickets[1].id);
      // The second request decides nothing and sends nothing: it returns while the first send still waits.
      expect(await second).toBe("already_refunded");
      expect(faults.refundsWaiting).toBe(1);
      open();
      expect(await first).toBe("refunded");
    } finally {
      faults.refundGate = null;
      open();
    }
    expect(await amountRefunded(paymentIntentId)).toBe(1500);
  });

  it("keeps a refund that Stripe answered with a 5xx, and sends it once on the retry", async () => {
    const { order, paymentIntentId } = await paidGroup();
    faults.failRefunds = true;
    try {
      expect(await cancel(order.id, order.tickets[0].id)).toBe("refunded");
    } finally {
      faults.failRefunds = false;
    }
    const failed = (await orderOf(order.id)).refunds[0];
    expect(failed).toMatchObject({ status: "PENDING", stripeRefundId: null, attempts: 1, amountCents: 4900 });
    expect(await amountRefunded(paymentIntentId)).toBe(0);
    // The ticket is cancelled already: the decision stands while the money waits.
    expect((await orderOf(order.id)).tickets[0].status).toBe("REFUNDED");

    const later = new Date(Date.now() + 60_000);
    const sweeps = await Promise.all([
      settleDueRefunds(db, stripe, { now: later }),
      settleDueRefunds(db, stripe, { now: later }),
    ]);
    expect(sweeps[0] + sweeps[1]).toBe(1);
    expect((await orderOf(order.id)).refunds[0]).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(await amountRefunded(paymentIntentId)).toBe(4900);
  });

  it("never refunds a ticket twice when a send reached Stripe but its answer was lost", async () => {
    const { order, paymentIntentId } = await paidGroup();
    expect(await cancel(order.id, order.tickets[1].id)).toBe("refunded");
    const sent = await db.refund.findUniqueOrThrow({ where: { ticketId: order.tickets[1].id } });
    await db.refund.update({ where: { id: sent.id }, data: { status: "PENDING", stripeRefundId: null } });
    expect(await retryRefund(db, stripe, "refund", sent.id)).toBe("sent");
    expect(await db.refund.findUniqueOrThrow({ where: { id: sent.id } })).toMatchObject({
      status: "SUCCEEDED",
      stripeRefundId: sent.stripeRefundId,
    });
    expect(await amountRefunded(paymentIntentId)).toBe(1500);
  });

  it("refunds only the rest when the whole order is refunded after a partial refund", async () => {
    const { edition, order, paymentIntentId } = await paidGroup();
    expect(await cancel(order.id, order.tickets[0].id)).toBe("refunded");
    expect(await refundOrder(db, stripe, order.id, { reason: "attendee_cancelled" })).toBe("refunded");
    const after = await orderOf(order.id);
    expect(after.status).toBe("REFUNDED");
    expect(after.refunds).toEqual([
      expect.objectContaining({ ticketId: order.tickets[0].id, amountCents: 4900 }),
      expect.objectContaining({ ticketId: null, amountCents: 1500, status: "SUCCEEDED" }),
    ]);
    // The ticket refunded on its own keeps saying so; the others are voided with the order.
    expect(after.tickets.map((ticket) => ticket.status)).toEqual(["REFUNDED", "CANCELLED", "CANCELLED"]);
    expect(await amountRefunded(paymentIntentId)).toBe(6400);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(0);
    const dashboard = await getEditionDashboard(db, edition);
    expect([dashboard.grossCents, dashboard.refundedCents, dashboard.netCents]).toEqual([6400, 6400, 0]);
    expect(dashboard.ticketTypes.every((type) => type.netCents === 0)).toBe(true);
    const email = await db.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `order_refunded:${order.id}` } });
    expect(email.payload).toMatchObject({ amountCents: 1500 });
  });

  it("never lets an order's refunds add up to more than its payment, whoever writes them", async () => {
    const { order } = await paidGroup();
    expect(await cancel(order.id, order.tickets[0].id)).toBe("refunded");
    const write = (amountCents: number) =>
      db.refund.create({ data: { orderId: order.id, amountCents, currency: "EUR", reason: "by_hand" } });
    await expect(write(1501)).rejects.toThrow(/exceed its payment/);
    // Two writers at once, each within the payment alone: the trigger's lock lets one through.
    const both = await Promise.allSettled([
      db.refund.create({
        data: { orderId: order.id, ticketId: order.tickets[1].id, amountCents: 1500, currency: "EUR", reason: "a" },
      }),
      write(1500),
    ]);
    expect(both.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const { _sum } = await db.refund.aggregate({ where: { orderId: order.id }, _sum: { amountCents: true } });
    expect(_sum.amountCents).toBe(6400);
  });

  it("only cancels a free ticket, and ends an order with nothing paid as cancelled", async () => {
    const edition = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "free" }] });
    const tickets = [1, 2].map((n) => ({
      ticketType: "free",
      attendee: { firstName: "Ada", lastName: `Free ${n}`, email: `${randomUUID()}@example.org` },
    }));
    const buyer = { firstName: "Grace", lastName: "Hopper", email: `${randomUUID()}@example.org` };
    const placed = await registerAttendee(db, edition.slug, { buyer, tickets, locale: "fr" }, { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);
    const order = await orderOf(placed.order.id);
    expect(await cancel(order.id, order.tickets[0].id)).toBe("cancelled");
    expect(await cancel(order.id, order.tickets[0].id)).toBe("already_cancelled");
    expect(await cancel(order.id, order.tickets[1].id)).toBe("cancelled");
    const after = await orderOf(order.id);
    expect(after).toMatchObject({ status: "CANCELLED", refunds: [] });
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(0);
  });
});

describe("charge.refunded after refunds of single tickets", () => {
  /** The charge.refunded event Stripe sent when the charge's refunded total reached `total`. */
  const chargeRefundedTo = async (paymentIntentId: string, total: number) => {
    const charge = (await stripe.paymentIntents.retrieve(paymentIntentId)).latest_charge as string;
    const reached = (delivery: CapturedDelivery) =>
      delivery.type === "charge.refunded" &&
      delivery.sessionId === charge &&
      JSON.parse(delivery.payload).data.object.amount_refunded === total;
    return vi.waitFor(() => deliveries.find(reached) ?? Promise.reject(new Error(`no charge.refunded to ${total}`)), {
      timeout: 5000,
      interval: 25,
    });
  };

  it("changes nothing for our own partial refund: no 'refunded in Stripe' refund, the tickets stay", async () => {
    const { order, paymentIntentId } = await paidGroup();
    expect(await cancel(order.id, order.tickets[1].id)).toBe("refunded");
    const ours = await chargeRefundedTo(paymentIntentId, 1500);
    expect((await deliver(ours.payload, ours.signature)).outcome).toBe("no_change");
    const after = await orderOf(order.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.refunds).toHaveLength(1);
    expect(after.tickets.map((ticket) => ticket.status)).toEqual(["ACTIVE", "REFUNDED", "ACTIVE"]);
  });

  it("takes the rest refunded in the dashboard as the order refunded there", async () => {
    const { edition, order, paymentIntentId } = await paidGroup();
    expect(await cancel(order.id, order.tickets[1].id)).toBe("refunded");
    local.refundFromDashboard(paymentIntentId);
    const dashboard = await chargeRefundedTo(paymentIntentId, 6400);
    expect((await deliver(dashboard.payload, dashboard.signature)).outcome).toBe("refunded");
    const after = await orderOf(order.id);
    expect(after).toMatchObject({ status: "REFUNDED", statusReason: "refunded_in_stripe" });
    expect(after.refunds).toEqual([
      expect.objectContaining({ ticketId: order.tickets[1].id, amountCents: 1500 }),
      expect.objectContaining({ ticketId: null, amountCents: 4900, status: "SUCCEEDED", reason: "refunded_in_stripe" }),
    ]);
    expect(after.tickets.map((ticket) => ticket.status)).toEqual(["CANCELLED", "REFUNDED", "CANCELLED"]);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(0);
  });

  it("flags a dashboard refund that does not reach the payment, and keeps the tickets", async () => {
    const { order, paymentIntentId } = await paidGroup();
    expect(await cancel(order.id, order.tickets[1].id)).toBe("refunded");
    local.refundFromDashboard(paymentIntentId, 1000);
    const goodwill = await chargeRefundedTo(paymentIntentId, 2500);
    expect((await deliver(goodwill.payload, goodwill.signature)).outcome).toBe("partial_refund");
    expect((await orderOf(order.id)).status).toBe("CONFIRMED");
  });
});
