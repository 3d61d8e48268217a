import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { minimumChargeCents } from "@/lib/money/currencies";
import { getSeatUsage } from "@/lib/capacity/seats";
import { recountEditionSeats } from "@/lib/editions/seat-recount";
import { placeOrder } from "@/lib/orders/register";
import { cancelCheckout, startCheckout } from "@/lib/payments/checkout";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { cancelOneTicket, refundOrder } from "@/lib/payments/refunds";
import { confirmTransfer } from "@/lib/payments/transfer";
import { handleStripeWebhook } from "@/lib/payments/webhook";
import { priceWithVoucher, type VoucherPricing } from "./pricing";
import { createTestVoucher, placeWithCode, testPerson, type TestVoucher as Voucher } from "@/devtools/testing/vouchers";

const { db, newClient } = await useTestDatabase();
const { stripe, payWithCard, waitForDelivery, payOrder } = await useLocalStripe();
const actor = await createOrganiser(db);
const appUrl = "http://app.test";

type Edition = Awaited<ReturnType<typeof paidEdition>>;

const paidEdition = (capacity = 100) =>
  createEdition(db, {
    capacity,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "student", priceCents: 1500 },
    ],
  });

const createVoucher = (edition: { id: string }, options: Parameters<typeof createTestVoucher>[2]) =>
  createTestVoucher(db, edition, options);
const person = testPerson;

async function placed(...args: Parameters<typeof placeWithCode>) {
  const result = await placeWithCode(...args);
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

const usedOf = async (voucher: Voucher) =>
  (await db.voucher.findUniqueOrThrow({ where: { id: voucher.id }, select: { used: true } })).used;
const lapse = (orderId: string) =>
  db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${orderId}::uuid`;
const seatsHeld = async (edition: Edition) => {
  const usage = await getSeatUsage(db, edition.id);
  return usage.confirmed + usage.held;
};

/** A card payment made while the order was held, delivered after its hold was released (a late payment). */
async function paidThenReleased(orderId: string) {
  const checkout = await startCheckout(db, stripe, orderId, { appUrl });
  if (!checkout.ok) throw new Error(checkout.reason);
  const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  expect((await payWithCard(paymentReference!)).status).toBe(303);
  const delivery = await waitForDelivery("checkout.session.completed", paymentReference!);
  await lapse(orderId);
  await expireLapsedHolds(db, null);
  return () =>
    handleStripeWebhook(delivery.payload, delivery.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: new Date(),
      log: () => {},
    });
}

describe("a code's uses are counted in the call that places the order", () => {
  it("50 concurrent placements of a 10-use code from two pools: 10 placed, 40 refused, none held", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 10 });
    const pools = [newClient(10), newClient(10)];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => placeWithCode(pools[i % 2], edition, voucher)),
    );

    expect(results.filter((result) => result.ok)).toHaveLength(10);
    expect(results.filter((result) => !result.ok).map((result) => !result.ok && result.reason)).toEqual(
      Array(40).fill("voucher_used_up"),
    );
    expect(await usedOf(voucher)).toBe(10);
    expect(await seatsHeld(edition)).toBe(10);
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(10);
    expect(await db.ticket.count({ where: { voucherId: voucher.id, discountCents: 980, priceCents: 3920 } })).toBe(10);
  });

  it("an order of several tickets takes one use each, all or none", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 3 });
    await placed(db, edition, voucher, { count: 2 });
    expect(await placeWithCode(db, edition, voucher, { count: 2 })).toEqual({ ok: false, reason: "voucher_used_up" });
    expect(await usedOf(voucher)).toBe(2);
    expect(await seatsHeld(edition)).toBe(2);
    await placed(db, edition, voucher);
    expect(await usedOf(voucher)).toBe(3);
  });

  it("refuses more tickets than maxUsesPerOrder in one order (voucher_invalid), holding nothing", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 10, maxUsesPerOrder: 2 });
    expect(await placeWithCode(db, edition, voucher, { count: 3 })).toEqual({ ok: false, reason: "voucher_invalid" });
    expect(await usedOf(voucher)).toBe(0);
    expect(await seatsHeld(edition)).toBe(0);
    await placed(db, edition, voucher, { count: 2 });
    expect(await usedOf(voucher)).toBe(2);
  });

  it("releases lapsed holds to make room for a use, once, then refuses", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 1 });
    const lapsing = await placed(db, edition, voucher);
    expect(await placeWithCode(db, edition, voucher)).toEqual({ ok: false, reason: "voucher_used_up" });
    await lapse(lapsing.id);

    await placed(db, edition, voucher);
    expect(await db.order.findUniqueOrThrow({ where: { id: lapsing.id } })).toMatchObject({
      status: "EXPIRED",
      statusReason: "hold_expired",
    });
    expect(await usedOf(voucher)).toBe(1);
    expect(await placeWithCode(db, edition, voucher)).toEqual({ ok: false, reason: "voucher_used_up" });
  });

  it("re-checks the code for a public buyer: off, out of its window, not for the type, a stale price", async () => {
    const edition = await paidEdition();
    const [standard, student] = edition.ticketTypes;
    const voucher = await createVoucher(edition, { maxUses: 10, typeIds: [student.id] });
    expect(await placeWithCode(db, edition, voucher, { type: "standard" })).toEqual({
      ok: false,
      reason: "voucher_invalid",
    });
    await placed(db, edition, voucher, { type: "student" });

    await db.voucher.update({ where: { id: voucher.id }, data: { validUntil: new Date(Date.now() - 1000) } });
    expect(await placeWithCode(db, edition, voucher, { type: "student" })).toMatchObject({ reason: "voucher_invalid" });
    await db.voucher.update({ where: { id: voucher.id }, data: { validUntil: null, active: false } });
    expect(await placeWithCode(db, edition, voucher, { type: "student" })).toMatchObject({ reason: "voucher_invalid" });

    // Priced from a copy read before the organiser changed the percentage: refused, never sold at the old price.
    await db.voucher.update({ where: { id: voucher.id }, data: { active: true, percentOff: 50 } });
    expect(await placeWithCode(db, edition, voucher, { type: "student" })).toMatchObject({ reason: "offer_changed" });
    const stale = { ...voucher, percentOff: 50 };
    expect(await placeWithCode(db, edition, stale, { type: "student" })).toMatchObject({ ok: true });
    expect(await usedOf(voucher)).toBe(2);

    // A hidden type is sold only with a code naming it.
    await db.ticketType.update({ where: { id: standard.id }, data: { hidden: true } });
    const unlocking = await createVoucher(edition, { maxUses: 5, typeIds: [standard.id] });
    const everyType = await createVoucher(edition, { maxUses: 5 });
    expect(await placeWithCode(db, edition, everyType, { type: "standard" })).toMatchObject({
      reason: "voucher_invalid",
    });
    expect(await placeWithCode(db, edition, unlocking, { type: "standard" })).toMatchObject({ ok: true });
    const withoutCode = await placeOrder(db, {
      edition,
      buyer: person("buyer"),
      tickets: [{ ticketType: standard, attendee: person("a"), answers: {}, priceCents: standard.priceCents }],
      locale: "en",
      holdExpiresAt: new Date(Date.now() + 60_000),
      checkOffer: true,
      now: new Date(),
    });
    expect(withoutCode).toMatchObject({ ok: false, reason: "offer_changed" });
  });

  it("prices with the minimum charge as lib/vouchers/pricing.ts does, and a free ticket confirms at once", async () => {
    const edition = await paidEdition();
    const amountOff = await createVoucher(edition, {
      maxUses: 5,
      pricing: { effect: "AMOUNT_OFF", amountCents: 1480 },
    });
    const free = await createVoucher(edition, { maxUses: 5, pricing: { effect: "FREE" } });
    const cheap = await placed(db, edition, amountOff, { type: "student" });
    expect(cheap.amountCents).toBe(50);
    const gift = await placed(db, edition, free, { held: false });
    expect(gift).toMatchObject({ status: "CONFIRMED", amountCents: 0 });
    expect(await usedOf(free)).toBe(1);
  });
});

describe("guichet_voucher_price", () => {
  it("gives the price lib/vouchers/pricing.ts gives, minimum charge included", async () => {
    const effects: VoucherPricing[] = [
      ...[1, 15, 33, 50, 99, 100].map((percentOff) => ({ effect: "PERCENT_OFF" as const, percentOff })),
      ...[1, 1480, 5000].map((amountCents) => ({ effect: "AMOUNT_OFF" as const, amountCents })),
      ...[0, 30, 1999, 9999].map((amountCents) => ({ effect: "FIXED_PRICE" as const, amountCents })),
      { effect: "FREE" },
    ];
    const cases = effects.flatMap((voucher) =>
      [0, 1, 49, 50, 51, 99, 1999, 4900].flatMap((list) =>
        ["EUR", "GBP"].map((currency) => ({ voucher, list, currency })),
      ),
    );
    const rows = await db.$queryRawUnsafe<{ price: number }[]>(
      `SELECT guichet_voucher_price((c->>'list')::integer, jsonb_populate_record(NULL::"Voucher", c->'voucher'),
                                    (c->>'minimum')::integer) AS price
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(c, i) ORDER BY i`,
      JSON.stringify(
        cases.map(({ voucher, list, currency }) => ({ voucher, list, minimum: minimumChargeCents(currency) })),
      ),
    );
    expect(rows.map((row) => row.price)).toEqual(
      cases.map(({ voucher, list, currency }) => priceWithVoucher(list, voucher, currency).priceCents),
    );
  });
});

describe("uses are given back with the seat, and taken again by a late payment", () => {
  it("an expired hold gives its uses back (expireLapsedHolds); its late payment takes them again", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 2 });
    const order = await placed(db, edition, voucher, { count: 2 });
    const deliver = await paidThenReleased(order.id);
    expect(await usedOf(voucher)).toBe(0);

    expect((await deliver()).outcome).toBe("confirmed_late");
    expect(await usedOf(voucher)).toBe(2);
    expect(await db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "CONFIRMED" });
  });

  it("a late payment whose code was used up meanwhile is refunded (late_payment_no_seat), seats free", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 1 });
    const order = await placed(db, edition, voucher);
    const deliver = await paidThenReleased(order.id);
    await placed(db, edition, voucher);

    expect((await deliver()).outcome).toBe("refund_due");
    const after = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { refunds: true } });
    expect(after).toMatchObject({ status: "REFUNDED", statusReason: "late_payment_no_seat" });
    expect(after.refunds[0]).toMatchObject({ amountCents: 3920, reason: "late_payment_no_seat" });
    expect(await usedOf(voucher)).toBe(1);
    expect(await seatsHeld(edition)).toBe(1);
  });

  it("a late transfer whose code was used up meanwhile is refused (no_seat); with a use left, confirmed", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 1 });
    const order = await placed(db, edition, voucher, { method: "TRANSFER" });
    await lapse(order.id);
    await expireLapsedHolds(db, null);
    const transfer = { orderId: order.id, amountCents: 3920, currency: "EUR", recordedBy: "org@example.org" };
    const taker = await placed(db, edition, voucher);

    expect(await confirmTransfer(db, { ...transfer, receivedOn: new Date() }, new Date())).toEqual({
      ok: false,
      reason: "no_seat",
    });
    expect(await usedOf(voucher)).toBe(1);
    await cancelCheckout(db, stripe, taker.accessToken);
    expect(await usedOf(voucher)).toBe(0);
    expect(await confirmTransfer(db, { ...transfer, receivedOn: new Date() }, new Date())).toMatchObject({ ok: true });
    expect(await usedOf(voucher)).toBe(1);
  });

  it("a cancelled checkout, a refunded order and one refunded ticket give their uses back", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 10 });
    const cancelled = await placed(db, edition, voucher);
    const refunded = await placed(db, edition, voucher, { count: 2 });
    const group = await placed(db, edition, voucher, { count: 3 });
    expect(await usedOf(voucher)).toBe(6);

    await cancelCheckout(db, stripe, cancelled.accessToken);
    expect(await usedOf(voucher)).toBe(5);

    await payOrder(db, refunded.id);
    expect(await refundOrder(db, stripe, refunded.id, { reason: "organiser_cancelled" })).toBe("refunded");
    expect(await usedOf(voucher)).toBe(3);

    await payOrder(db, group.id);
    const [, second] = await db.ticket.findMany({ where: { orderId: group.id }, orderBy: { position: "asc" } });
    const one = { orderId: group.id, ticketId: second.id };
    expect(await cancelOneTicket(db, stripe, one, { refund: true, reason: "buyer_cancelled_ticket" })).toBe("refunded");
    expect(await usedOf(voucher)).toBe(2);
    expect(await seatsHeld(edition)).toBe(2);
  });

  it("writers outside the app (status updates, deletes) keep the count, and Recount rewrites it", async () => {
    const edition = await paidEdition();
    const voucher = await createVoucher(edition, { maxUses: 10 });
    const first = await placed(db, edition, voucher, { count: 3 });
    const second = await placed(db, edition, voucher, { count: 2 });
    await db.$executeRaw`UPDATE "Ticket" SET status = 'CANCELLED' WHERE "orderId" = ${first.id}::uuid AND position = 1`;
    expect(await usedOf(voucher)).toBe(4);
    await db.$executeRaw`DELETE FROM "Ticket" WHERE "orderId" = ${first.id}::uuid AND position = 2`;
    expect(await usedOf(voucher)).toBe(3);
    await db.$executeRaw`DELETE FROM "Order" WHERE id = ${second.id}::uuid`;
    expect(await usedOf(voucher)).toBe(1);

    // A writer that bypassed the triggers: Recount puts the count back from the tickets.
    await db.$executeRaw`UPDATE "Voucher" SET used = 7 WHERE id = ${voucher.id}::uuid`;
    expect(await recountEditionSeats(db, actor, edition.id)).toMatchObject({ ok: true, off: 6 });
    expect(await usedOf(voucher)).toBe(1);
  });
});
