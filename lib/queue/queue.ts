import type { Db, Prisma } from "@/lib/db/prisma";

type Queryable = Db | Prisma.TransactionClient;

/**
 * A new arrival's place: the next value of the edition's sequence. Lock-free and never rolled back, so
 * arrivals on every instance and connection are numbered in the order Postgres saw them.
 */
export async function joinQueue(db: Queryable, editionId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ ordinal: number }[]>`
    SELECT nextval(guichet_queue_sequence(${editionId}::uuid)::regclass)::integer AS ordinal`;
  return row.ordinal;
}

// Moves every open queue's frontier by its rate times the time since its last tick (or since it opened), never
// past the arrivals so far: an idle stretch banks no admissions for the next burst. Every instance runs it; the
// 200 ms guard and the elapsed-time arithmetic make a second instance's tick change nothing, and the time is
// the database's, so instances' clocks never matter. `at` stands in for the database's clock in tests.
export async function tickQueues(db: Queryable, at?: Date): Promise<number> {
  return db.$executeRaw`
    WITH clock AS (SELECT coalesce(${at ?? null}::timestamptz, clock_timestamp()) AS now)
    UPDATE "EditionQueue" q
       SET frontier = greatest(q.frontier, least(
             q.frontier + q."admitPerSecond" *
               extract(epoch FROM clock.now - greatest(q."tickedAt", coalesce(q."opensAt", q."tickedAt"))),
             guichet_queue_issued(q."editionId"))),
           "tickedAt" = clock.now
      FROM clock
     WHERE q.enabled AND clock.now >= coalesce(q."opensAt", '-infinity')
       AND q."tickedAt" < clock.now - interval '200 milliseconds'`;
}
