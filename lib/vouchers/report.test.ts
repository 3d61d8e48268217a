import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { placeOrder } from "@/lib/orders/register";
import { cancelOrder } from "@/lib/orders/transitions";
import { priceWithVoucher, type VoucherPricing } from "./pricing";
import { voucherRedemptionReport } from "./report";

const { db } = await useTestDatabase();

const edition = await createEdition(db, { capacity: 100, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
const [standard] = edition.ticketTypes;

async function createVoucher(code: string, pricing: VoucherPricing, tag: string | null) {
  const voucher = await db.voucher.create({
    data: {
      editionId: edition.id,
      code,
      codeKey: code.replaceAll("-", ""),
      effect: pricing.effect,
      percentOff: pricing.effect === "PERCENT_OFF" ? pricing.percentOff : null,
      maxUses: 20,
      tag,
    },
  });
  return { id: voucher.id, ...pricing };
}

const person = () => ({ firstName: "Ada", lastName: "Lovelace", email: `${randomUUID()}@example.org`, company: null });

async function place(voucher: ({ id: string } & VoucherPricing) | null, count: number, held: boolean) {
  const price = voucher ? priceWithVoucher(standard.priceCents, voucher, edition.currency) : null;
  const result = await placeOrder(db, {
    edition,
    buyer: person(),
    tickets: Array.from({ length: count }, () => ({
      ticketType: standard,
      attendee: person(),
      answers: {},
      priceCents: price?.priceCents ?? standard.priceCents,
      ...(voucher && price ? { voucherId: voucher.id, discountCents: price.discountCents } : {}),
    })),
    locale: "en",
    holdExpiresAt: held ? new Date(Date.now() + 30 * 60_000) : null,
    checkOffer: true,
    now: new Date(),
  });
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe("the redemption report", () => {
  it("counts the live tickets priced with each code and tag, not cancelled nor lapsed orders", async () => {
    const acme = await createVoucher("ACME-2222", { effect: "PERCENT_OFF", percentOff: 20 }, "acme");
    const acmeToo = await createVoucher("ACME-3333", { effect: "PERCENT_OFF", percentOff: 50 }, "acme");
    const speaker = await createVoucher("SPEAK-4444", { effect: "FREE" }, null);

    await place(acme, 2, false); // confirmed: 2 × 980 given away
    await place(acme, 1, true); // held, hold running: counts
    const cancelled = await place(acme, 1, true);
    await db.$transaction((tx) => cancelOrder(tx, cancelled, "CANCELLED", { reason: "test", now: new Date() }));
    const lapsed = await place(acmeToo, 1, true);
    await db.order.update({ where: { id: lapsed.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    await place(speaker, 1, true);
    await place(null, 3, false);

    const report = await voucherRedemptionReport(db, edition.id);

    expect(report.byCode).toEqual([
      { voucherId: acme.id, code: "ACME-2222", tag: "acme", orders: 2, tickets: 3, givenAwayCents: 3 * 980 },
      { voucherId: speaker.id, code: "SPEAK-4444", tag: null, orders: 1, tickets: 1, givenAwayCents: 4900 },
    ]);
    expect(report.byTag).toEqual([
      { tag: "acme", orders: 2, tickets: 3, givenAwayCents: 2940 },
      { tag: null, orders: 1, tickets: 1, givenAwayCents: 4900 },
    ]);
    expect(report.total).toEqual({ orders: 3, tickets: 4, givenAwayCents: 2940 + 4900 });
  });

  it("reports nothing for an edition whose codes were never used", async () => {
    const other = await createEdition(db, { capacity: 10 });
    expect(await voucherRedemptionReport(db, other.id)).toEqual({
      byCode: [],
      byTag: [],
      total: { orders: 0, tickets: 0, givenAwayCents: 0 },
    });
  });
});
