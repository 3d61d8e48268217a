import type { Prisma } from "@/lib/generated/prisma/client";
import { lockEdition } from "@/lib/capacity/seats";

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * Offers an edition's room to its waiting list now (resuming the list, the back office's "Offer now"): the walk of
 * guichet_waitlist_serve under the edition's counter row, taken first as by every writer. The seat triggers run the
 * same walk by themselves whenever seats free up. Returns the offers made or completed.
 */
export async function serveWaitingList(tx: Queryable, editionId: string): Promise<number> {
  await lockEdition(tx, editionId);
  const [row] = await tx.$queryRaw<{ offers: number }[]>`
    SELECT guichet_waitlist_serve(${editionId}::uuid) AS offers`;
  return row.offers;
}
