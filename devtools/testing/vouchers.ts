import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { placeOrder } from "@/lib/orders/register";
import { priceWithVoucher, type VoucherPricing } from "@/lib/vouchers/pricing";

type Edition = { id: string; currency: string; ticketTypes: { id: string; code: string; priceCents: number }[] };
export type TestVoucher = Awaited<ReturnType<typeof createTestVoucher>>;

let codes = 0;

/** A voucher with this code in the edition: 20 % off, 10 uses, unless `data` says otherwise. */
export function namedTestVoucher(
  db: Db,
  editionId: string,
  code: string,
  data: Record<string, unknown> = {},
  typeIds: string[] = [],
) {
  return db.voucher.create({
    data: {
      editionId,
      code,
      codeKey: code.replaceAll("-", ""),
      effect: "PERCENT_OFF",
      percentOff: 20,
      maxUses: 10,
      ...data,
      ticketTypes: { create: typeIds.map((ticketTypeId) => ({ ticketTypeId })) },
    },
  });
}

/** A voucher of the edition, with a fresh code: 20 % off every listed type unless told otherwise. */
export function createTestVoucher(
  db: Db,
  edition: { id: string },
  options: {
    maxUses: number;
    maxUsesPerOrder?: number;
    pricing?: VoucherPricing;
    typeIds?: string[];
    allocationId?: string;
  },
) {
  codes += 1;
  const code = `USES-${String(codes).padStart(4, "2").replaceAll(/[01]/g, "2")}-${randomUUID().slice(0, 4)}`
    .toUpperCase()
    .replaceAll(/[01OIL]/g, "Z");
  const pricing = options.pricing ?? { effect: "PERCENT_OFF", percentOff: 20 };
  return namedTestVoucher(
    db,
    edition.id,
    code,
    {
      effect: pricing.effect,
      percentOff: pricing.effect === "PERCENT_OFF" ? pricing.percentOff : null,
      amountCents: pricing.effect === "AMOUNT_OFF" || pricing.effect === "FIXED_PRICE" ? pricing.amountCents : null,
      maxUses: options.maxUses,
      maxUsesPerOrder: options.maxUsesPerOrder ?? null,
      allocationId: options.allocationId ?? null,
    },
    options.typeIds,
  );
}

export const testPerson = (n: string) => ({
  firstName: "Ada",
  lastName: n,
  email: `${n}-${randomUUID()}@example.org`,
  company: null,
});

/** A buyer's order of `count` tickets of `type`, each priced with the code, as the public form places it. */
export function placeWithCode(
  db: Db,
  edition: Edition,
  voucher: TestVoucher,
  { count = 1, type = "standard", held = true, method = "CARD" as "CARD" | "TRANSFER" } = {},
) {
  const ticketType = edition.ticketTypes.find((candidate) => candidate.code === type)!;
  const price = priceWithVoucher(ticketType.priceCents, voucher as VoucherPricing, edition.currency);
  return placeOrder(db, {
    edition,
    buyer: testPerson("buyer"),
    tickets: Array.from({ length: count }, (_, i) => ({
      ticketType,
      attendee: testPerson(`attendee-${i}`),
      answers: {},
      priceCents: price.priceCents,
      voucherId: voucher.id,
      discountCents: price.discountCents,
    })),
    locale: "en",
    holdExpiresAt: held ? new Date(Date.now() + 35 * 60_000) : null,
    paymentMethod: method,
    checkOffer: true,
    now: new Date(),
  });
}
