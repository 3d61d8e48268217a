import type { Db } from "@/lib/db/prisma";

/** The edition's vouchers for the back office, newest first, with their types and block; `tag` keeps one tag. */
export function listVouchers(db: Db, editionId: string, { tag }: { tag?: string } = {}) {
  return db.voucher.findMany({
    where: { editionId, ...(tag ? { tag } : {}) },
    include: { ticketTypes: { select: { ticketTypeId: true } }, allocation: { select: { id: true, name: true } } },
    orderBy: [{ createdAt: "desc" }, { code: "asc" }],
  });
}

export type ListedVoucher = Awaited<ReturnType<typeof listVouchers>>[number];

/** The tags the edition's vouchers carry, for the filters (the vouchers' list, the attendee list). */
export async function voucherTags(db: Db, editionId: string): Promise<string[]> {
  const rows = await db.voucher.findMany({
    where: { editionId, tag: { not: null } },
    distinct: ["tag"],
    select: { tag: true },
    orderBy: { tag: "asc" },
  });
  return rows.flatMap((row) => (row.tag === null ? [] : [row.tag]));
}

export type VoucherState = "active" | "deactivated" | "expired" | "notYetValid" | "usedUp";

/**
 * Whether a code works now, and if not, why, in the order checkout tells a buyer (findCode in redeem.ts): the list
 * shows it, so a code that would be refused at checkout never reads "Active".
 */
export function voucherState(
  voucher: { active: boolean; used: number; maxUses: number; validFrom: Date | null; validUntil: Date | null },
  now: Date,
): VoucherState {
  if (!voucher.active) return "deactivated";
  if (voucher.validFrom && now < voucher.validFrom) return "notYetValid";
  if (voucher.validUntil && now >= voucher.validUntil) return "expired";
  if (voucher.used >= voucher.maxUses) return "usedUp";
  return "active";
}
