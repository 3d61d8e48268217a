import type { Db } from "@/lib/db/prisma";
import { liveSeat } from "@/lib/capacity/seats";
import { Prisma } from "@/lib/generated/prisma/client";

/** What codes brought in: orders and tickets priced with them, and the revenue given away (list price − paid). */
export type Redemptions = { orders: number; tickets: number; givenAwayCents: number };
export type CodeRedemptions = Redemptions & { voucherId: string; code: string; tag: string | null };
export type TagRedemptions = Redemptions & { tag: string | null };
export type RedemptionReport = { byCode: CodeRedemptions[]; byTag: TagRedemptions[]; total: Redemptions };

// A redemption is a live ticket (liveSeat: a cancelled, refunded or lapsed order gives its use back, so it does not
// count here either), read with the discount it was sold at, never recomputed from the voucher as edited since.
const redemptions = (editionId: string, now: Date | undefined, groupBy: Prisma.Sql, columns?: Prisma.Sql) => Prisma.sql`
  SELECT ${columns ? Prisma.sql`${columns},` : Prisma.empty}
    count(DISTINCT t."orderId")::int AS orders, count(*)::int AS tickets,
    coalesce(sum(t."discountCents"), 0)::int AS "givenAwayCents"
  FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" JOIN "Voucher" v ON v.id = t."voucherId"
  WHERE t."editionId" = ${editionId}::uuid AND ${liveSeat(now)}
  GROUP BY ${groupBy}`;

/** The edition's redemption report: per code used (by code), per tag (codes without a tag under null), in total. */
export async function voucherRedemptionReport(db: Db, editionId: string, now?: Date): Promise<RedemptionReport> {
  const [byCode, byTag, [total]] = await Promise.all([
    db.$queryRaw<CodeRedemptions[]>`${redemptions(
      editionId,
      now,
      Prisma.sql`v.id`,
      Prisma.sql`v.id AS "voucherId", v.code, v.tag`,
    )} ORDER BY v.code`,
    db.$queryRaw<TagRedemptions[]>`${redemptions(editionId, now, Prisma.sql`v.tag`, Prisma.sql`v.tag`)}
      ORDER BY v.tag NULLS LAST`,
    db.$queryRaw<Redemptions[]>`${redemptions(editionId, now, Prisma.sql`()`)}`,
  ]);
  return { byCode, byTag, total: total ?? { orders: 0, tickets: 0, givenAwayCents: 0 } };
}
