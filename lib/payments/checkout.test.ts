import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { placeOrder, registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { holdRowLock, waitForHoldToLapse, waitForLockWaiters } from "@/devtools/testing/row-locks";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { startCheckout } from "./checkout";
import { handleStripeWebhook } from "./webhook";

const { db } = await useTestDatabase();
const { local, stripe, faults, waitForDelivery, payWithCard, payOrder } = await useLocalStripe();
const appUrl = "http://app.test";

async function heldOrder(capacity = 10) {
  const edition = await createEdition(db, { capacity, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("paid", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return { edition, orderId: result.order.id };
}

const holdEndsInOneSecond = (orderId: string) =>
  db.$executeRaw`
    UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() + interval '1 second' WHERE id = ${orderId}::uuid`;
const seatsTaken = async (editionId: string) => {
  const usage = await getSeatUsage(db, editionId);
  return usage.confirmed + usage.held;
};

describe("Pay now", () => {
  it("gives two concurrent clicks a second apart the same payable session", async () => {
    const { orderId } = await heldOrder();
    const now = new Date();
    const [first, second] = await Promise.all([
      startCheckout(db, stripe, orderId, { appUrl, now }),
      startCheckout(db, stripe, orderId, { appUrl, now: new Date(now.getTime() + 1000) }),
    ]);
    expect(first.ok && second.ok).toBe(true);
    expect(first).toEqual(second);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(first).toEqual({ ok: true, url: expect.stringContaining(paymentReference!) });
  });

  it("finds the session again when the order's write was lost after Stripe created it", async () => {
    const { orderId } = await heldOrder();
    const now = new Date();
    const first = await startCheckout(db, stripe, orderId, { appUrl, now });
    expect(first.ok).toBe(true);
    await db.order.update({ where: { id: orderId }, data: { paymentReference: null } });
    const retry = await startCheckout(db, stripe, orderId, { appUrl, now: new Date(now.getTime() + 1500) });
    expect(retry).toEqual(first);
    expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).checkoutAttempt).toBe(1);
  });

  it("starts a new attempt after Stripe failed, since Stripe replays a failure to the same key", async () => {
    const { orderId } = await heldOrder();
    faults.failCheckoutSessions = true;
    try {
      expect(await startCheckout(db, stripe, orderId, { appUrl })).toEqual({
        ok: false,
        reason: "payment_unavailable",
      });
    } finally {
      faults.failCheckoutSessions = false;
    }
    expect((await startCheckout(db, stripe, orderId, { appUrl })).ok).toBe(true);
    expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).checkoutAttempt).toBe(2);
  });
});

describe("seats made live only through a claim", () => {
  it("Pay now does not revive a hold that lapsed while Stripe was creating the session", async () => {
    const { edition, orderId } = await heldOrder(1);
    await holdEndsInOneSecond(orderId);
    let open!: () => void;
    faults.checkoutGate = new Promise<void>((resolve) => (open = resolve));
    const starting = startCheckout(db, stripe, orderId, { appUrl });
    try {
      for (let i = 0; faults.checkoutsWaiting === 0; i++) {
        if (i > 400) throw new Error("the session was never requested");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await waitForHoldToLapse(db, orderId);
      // The lapsed hold's seat goes to the next person, as it should.
      expect(
        (await registerAttendee(db, edition.slug, attendeeRequest("paid", randomUUID()), { holdMinutes: 35 })).ok,
      ).toBe(true);
    } finally {
      faults.checkoutGate = null;
      open();
    }
    expect(await starting).toEqual({ ok: false, reason: "not_payable" });
    expect(await seatsTaken(edition.id)).toBe(1);
  });

  it("a payment delivered while its hold lapsed keeps its seat from a claim made as it holds the order", async () => {
    const { edition, orderId } = await heldOrder(1);
    const checkout = await startCheckout(db, stripe, orderId, { appUrl });
    if (!checkout.ok) throw new Error(checkout.reason);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect((await payWithCard(paymentReference!)).status).toBe(303);
    const paid = await waitForDelivery("checkout.session.completed", paymentReference!);
    await holdEndsInOneSecond(orderId);
    // The request starts before the hold's end; its transaction then waits behind the order's row
    // (the asynchronous twin of the event holds it) while the hold lapses and another buyer claims.
    // A lapsed hold counts until released, and the claim releases none it would have to wait for
    // (SKIP LOCKED: waiting on an order while holding the seat counter could deadlock with the
    // payment): the claim hears sold out, and the payment, made while the hold ran, keeps its seat.
    const requestStart = new Date();
    const twin = await holdRowLock(db, "Order", orderId);
    const delivery = handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: requestStart,
      log: () => {},
    });
    try {
      await waitForLockWaiters(db, 1);
      await waitForHoldToLapse(db, orderId);
      const other = await registerAttendee(db, edition.slug, attendeeRequest("paid", randomUUID()), {
        holdMinutes: 35,
      });
      expect(other).toEqual({ ok: false, reason: "sold_out", left: 0, leftByCode: { paid: 0 } });
    } finally {
      await twin.release();
    }
    // "confirmed" or "confirmed_late" as the hold was read before or after its end: the seat is kept either way.
    expect((await delivery).outcome).toMatch(/^confirmed(_late)?$/);
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { refunds: true } });
    expect([order.status, order.refunds]).toEqual(["CONFIRMED", []]);
    expect(await seatsTaken(edition.id)).toBe(1);
  });
});

describe("a group's payment", () => {
  async function heldGroup(capacity: number, sizes: { standard: number; student: number; speaker: number }) {
    const edition = await createEdition(db, {
      capacity,
      ticketTypes: [
        { code: "standard", priceCents: 4900 },
        { code: "student", priceCents: 1500 },
        { code: "speaker", priceCents: 0 },
      ],
    });
    const tickets = edition.ticketTypes.flatMap((ticketType) =>
      Array.from({ length: sizes[ticketType.code as keyof typeof sizes] }, (_, i) => ({
        ticketType,
        attendee: {
          firstName: "Ada",
          lastName: `${ticketType.code} ${i}`,
          email: `${randomUUID()}@example.org`,
          company: null,
        },
        answers: {},
        priceCents: ticketType.priceCents,
      })),
    );
    const buyer = { firstName: "Grace", lastName: "Hopper", email: `${randomUUID()}@example.org`, company: "Navy" };
    const holdExpiresAt = new Date(Date.now() + 35 * 60_000);
    const placed = await placeOrder(db, { edition, buyer, tickets, locale: "en", holdExpiresAt, now: new Date() });
    if (!placed.ok) throw new Error(placed.reason);
    return { edition, order: placed.order };
  }

  it("is one session with a line per ticket type, free ones included, and confirms every ticket", async () => {
    const { edition, order } = await heldGroup(10, { standard: 2, student: 1, speaker: 1 });
    expect(order.amountCents).toBe(2 * 4900 + 1500);
    const checkout = await startCheckout(db, stripe, order.id, { appUrl });
    if (!checkout.ok) throw new Error(checkout.reason);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    const session = await stripe.checkout.sessions.retrieve(paymentReference!);
    expect(session.amount_total).toBe(order.amountCents);
    // What the buyer sees on Stripe's page: quantities per type, the free one at 0.
    const page = await (await fetch(`${local.url}/checkout/${paymentReference}`)).text();
    expect(page).toMatch(/· standard × 2/);
    expect(page).toMatch(/· student × 1/);
    expect(page).toMatch(/· speaker × 1/);

    await payOrder(db, order.id);
    const paid = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { tickets: true } });
    expect(paid.status).toBe("CONFIRMED");
    expect(paid.tickets.map((ticket) => ticket.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]);
    expect((await getSeatUsage(db, edition.id)).confirmed).toBe(4);
  });

  it("paid after its hold lapsed and others took part of its seats: refunded in full, no ticket kept", async () => {
    const { edition, order } = await heldGroup(4, { standard: 3, student: 0, speaker: 0 });
    const checkout = await startCheckout(db, stripe, order.id, { appUrl });
    if (!checkout.ok) throw new Error(checkout.reason);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect((await payWithCard(paymentReference!)).status).toBe(303);
    const paid = await waitForDelivery("checkout.session.completed", paymentReference!);
    await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${order.id}::uuid`;
    // Two seats of the lapsed group's three go to other people: one would still be free, not three.
    for (const n of [1, 2]) {
      const other = await registerAttendee(db, edition.slug, attendeeRequest("speaker", `${randomUUID()}-${n}`), {
        holdMinutes: 35,
      });
      expect(other.ok).toBe(true);
    }
    const delivered = await handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: new Date(),
      log: () => {},
    });
    expect(delivered.outcome).toBe("refund_due");
    const after = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { refunds: true } });
    expect(after.status).toBe("REFUNDED");
    expect(after.refunds[0]).toMatchObject({ amountCents: 3 * 4900, reason: "late_payment_no_seat" });
    expect(await seatsTaken(edition.id)).toBe(2);
  });
});
