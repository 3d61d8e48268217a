import type { Db, Prisma } from "@/lib/db/prisma";
import type { TicketTypeOffer } from "@/lib/editions/queries";
import { codeKey } from "./codes";
import { priceWithVoucher, type VoucherPrice, type VoucherPricing } from "./pricing";

/** Why a typed code prices nothing: each has its own message on the form and its own reason in the API. */
export type CodeRefusalReason =
  "voucher_unknown" | "voucher_expired" | "voucher_not_yet" | "voucher_not_for_type" | "voucher_used_up";

/** A code found in an edition, as a buyer may use it: what it does, to which types, how many times. */
export type RedeemableVoucher = {
  id: string;
  code: string;
  pricing: VoucherPricing;
  maxUses: number;
  maxUsesPerOrder: number | null;
  used: number;
  /** The types it applies to; empty: every listed type (never a hidden one). */
  ticketTypeIds: string[];
  /**
   * The reserved block it draws seats from while the block holds some (null: none, or released): its seats left, and
   * the one type it takes if it has one. They are seats general sale does not count (lib/vouchers/allocations.ts).
   */
  block: { left: number; ticketTypeId: string | null } | null;
};

export type CodeLookup = { ok: true; voucher: RedeemableVoucher } | { ok: false; reason: CodeRefusalReason };

type Reader = Pick<Db | Prisma.TransactionClient, "voucher">;

/**
 * The code a buyer typed (in any case, with any separators), in an edition, at `now`. An inactive code answers as an
 * unknown one: a deactivated sponsor's code tells nothing more than a guess. A used-up code is answered early for a
 * clear message; the placement's trigger stays the judge of the last uses.
 */
export async function findCode(db: Reader, editionId: string, typed: string, now: Date): Promise<CodeLookup> {
  const key = codeKey(typed);
  if (key === null) return { ok: false, reason: "voucher_unknown" };
  const voucher = await db.voucher.findUnique({
    where: { editionId_codeKey: { editionId, codeKey: key } },
    include: {
      ticketTypes: { select: { ticketTypeId: true } },
      allocation: { select: { seats: true, used: true, releasedAt: true, ticketTypeId: true } },
    },
  });
  if (!voucher || !voucher.active) return { ok: false, reason: "voucher_unknown" };
  if (voucher.validFrom && now < voucher.validFrom) return { ok: false, reason: "voucher_not_yet" };
  if (voucher.validUntil && now >= voucher.validUntil) return { ok: false, reason: "voucher_expired" };
  if (voucher.used >= voucher.maxUses) return { ok: false, reason: "voucher_used_up" };
  return {
    ok: true,
    voucher: {
      id: voucher.id,
      code: voucher.code,
      pricing: pricingOf(voucher),
      maxUses: voucher.maxUses,
      maxUsesPerOrder: voucher.maxUsesPerOrder,
      used: voucher.used,
      ticketTypeIds: voucher.ticketTypes.map((type) => type.ticketTypeId),
      block:
        voucher.allocation && !voucher.allocation.releasedAt
          ? {
              left: Math.max(0, voucher.allocation.seats - voucher.allocation.used),
              ticketTypeId: voucher.allocation.ticketTypeId,
            }
          : null,
    },
  };
}

function pricingOf(voucher: {
  effect: VoucherPricing["effect"];
  percentOff: number | null;
  amountCents: number | null;
}) {
  switch (voucher.effect) {
    case "PERCENT_OFF":
      return { effect: voucher.effect, percentOff: voucher.percentOff! };
    case "AMOUNT_OFF":
    case "FIXED_PRICE":
      return { effect: voucher.effect, amountCents: voucher.amountCents! };
    case "FREE":
      return { effect: voucher.effect };
  }
}

/** Whether a code prices tickets of this type: a type it names, or (naming none) any type that is not hidden. */
export function codeAppliesTo(
  voucher: Pick<RedeemableVoucher, "ticketTypeIds">,
  type: { id: string; hidden: boolean },
) {
  return voucher.ticketTypeIds.length > 0 ? voucher.ticketTypeIds.includes(type.id) : !type.hidden;
}

/** A ticket as the code priced it (or left it at its list price). */
export type PricedTicket<L> = L & {
  priceCents: number;
  voucherId?: string;
  voucherCode?: string;
  discountCents?: number;
};

/**
 * An order's tickets priced with a code: the tickets of the types it applies to, up to its uses per order in position
 * order, get priceWithVoucher's price; the others keep their list price. A ticket the code takes nothing off (a free
 * one, a fixed price at or above its list price) keeps its list price and spends none of the order's uses, so that
 * they go to the tickets it lowers, unless the code is what gives the ticket at all: a hidden type, or a seat of the
 * code's block. Refused when the code prices none.
 */
export function priceTicketsWithCode<L extends { ticketType: { id: string; priceCents: number; hidden: boolean } }>(
  voucher: RedeemableVoucher,
  lines: L[],
  currency: string,
): { ok: true; tickets: PricedTicket<L>[] } | { ok: false; reason: "voucher_not_for_type" } {
  let left = voucher.maxUsesPerOrder ?? voucher.maxUses;
  const tickets = lines.map((line): PricedTicket<L> => {
    const listPrice = { ...line, priceCents: line.ticketType.priceCents };
    if (left === 0 || !codeAppliesTo(voucher, line.ticketType)) return listPrice;
    const price = priceWithVoucher(line.ticketType.priceCents, voucher.pricing, currency);
    const access = line.ticketType.hidden || takesBlockSeat(voucher, line.ticketType);
    if (price.discountCents === 0 && !access) return listPrice;
    left -= 1;
    return { ...line, ...price, voucherId: voucher.id, voucherCode: voucher.code };
  });
  if (!tickets.some((ticket) => ticket.voucherId)) return { ok: false, reason: "voucher_not_for_type" };
  return { ok: true, tickets };
}

/** A type of the offer as a buyer with a code sees it: its price with the code, null where the code does not apply. */
export type TicketTypeWithCode = TicketTypeOffer & { withCode: VoucherPrice | null };

/** Whether a ticket of this type with the code takes a seat of the code's block (while it has some). */
export function takesBlockSeat(
  voucher: Pick<RedeemableVoucher, "block" | "ticketTypeIds">,
  type: { id: string; hidden: boolean },
) {
  const { block } = voucher;
  return (
    block !== null && block.left > 0 && codeAppliesTo(voucher, type) && (block.ticketTypeId ?? type.id) === type.id
  );
}

/**
 * The types an edition offers a buyer with a code: the listed ones, then the hidden ones the code unlocks (names), each
 * with its price with the code where it applies, and the seats of the code's block added to those general sale has
 * left. Without a code, the listed types at their list prices.
 */
export function offerWithCode(
  offer: { ticketTypes: TicketTypeOffer[]; hiddenTicketTypes: TicketTypeOffer[] },
  voucher: RedeemableVoucher | null,
  currency: string,
): TicketTypeWithCode[] {
  const unlocked = voucher ? offer.hiddenTicketTypes.filter((type) => voucher.ticketTypeIds.includes(type.id)) : [];
  return [...offer.ticketTypes, ...unlocked].map((type) => ({
    ...type,
    seatsLeft: type.seatsLeft + (voucher && takesBlockSeat(voucher, type) ? voucher.block!.left : 0),
    withCode:
      voucher && codeAppliesTo(voucher, type) ? priceWithVoucher(type.priceCents, voucher.pricing, currency) : null,
  }));
}
