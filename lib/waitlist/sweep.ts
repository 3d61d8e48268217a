import type { Db, Prisma } from "@/lib/db/prisma";
import { lockEdition, releaseLapsedHolds } from "@/lib/capacity/seats";

type Tx = Prisma.TransactionClient;

// Within this of the start nothing gathers any more (the last call): seats kept for a group are walked again.
const LAST_CALL_MS = 48 * 3_600_000;
// Lapsed holds released per edition and sweep, as the hold sweep's batch.
const HOLDS_PER_SWEEP = 100;

/**
 * Lapses the offers whose deadline has passed, edition by edition: each closes LAPSED (its email), and its seats go
 * to the next entry in the same transaction (guichet_waitlist_close_offer, then the walk). An offer with an order of
 * it still running waits for that hold's outcome: paid, it converts; lapsed, this sweep releases the hold first and
 * lapses the offer after it. At the last call, gatherings are dissolved (their entries wait on). One transaction per
 * edition under its counter row, so two instances' sweeps serialise and the second finds nothing due. `now` is the
 * walk's clock too (guichet.now). Returns the offers lapsed.
 */
export async function expireOffers(db: Db, now: Date): Promise<number> {
  const editions = await db.$queryRaw<{ editionId: string }[]>`
    SELECT DISTINCT o."editionId" FROM "WaitingListOffer" o JOIN "Edition" e ON e.id = o."editionId"
     WHERE (o.status = 'OFFERED' AND o."expiresAt" <= ${now})
        OR (o.status = 'GATHERING' AND e."startsAt" <= ${new Date(now.getTime() + LAST_CALL_MS)})`;
  let lapsed = 0;
  for (const { editionId } of editions) {
    lapsed += await db.$transaction((tx) => expireEditionOffers(tx, editionId, now));
  }
  return lapsed;
}

async function expireEditionOffers(tx: Tx, editionId: string, now: Date): Promise<number> {
  await lockEdition(tx, editionId);
  await tx.$queryRaw`SELECT set_config('guichet.now', ${now.toISOString()}, true)`;
  await releaseLapsedHolds(tx, editionId, { now, max: HOLDS_PER_SWEEP });
  // Read again under the edition's row: another instance's sweep may have closed them meanwhile.
  const [{ lapsed }] = await tx.$queryRaw<{ lapsed: number }[]>`
    SELECT count(*) FILTER (WHERE guichet_waitlist_close_offer(o.id, 'LAPSED'))::integer AS lapsed
      FROM (SELECT o.id FROM "WaitingListOffer" o
             WHERE o."editionId" = ${editionId}::uuid AND o.status = 'OFFERED' AND o."expiresAt" <= ${now}
               AND NOT EXISTS (SELECT 1 FROM "Order" r WHERE r.id = o."orderId" AND r.status = 'PENDING'
                                                        AND r."holdExpiresAt" > ${now})
             ORDER BY o."expiresAt", o.id) o`;
  await tx.$queryRaw`
    SELECT guichet_waitlist_close_offer(o.id, 'WITHDRAWN') FROM "WaitingListOffer" o
      JOIN "Edition" e ON e.id = o."editionId"
     WHERE o."editionId" = ${editionId}::uuid AND o.status = 'GATHERING'
       AND e."startsAt" <= ${new Date(now.getTime() + LAST_CALL_MS)}`;
  return lapsed;
}
