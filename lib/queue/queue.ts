import type { Db, Prisma } from "@/lib/db/prisma";

/** An edition's queue as the organiser sets it. */
export type QueueSettings = { enabled: boolean; opensAt: Date | null; admitPerSecond: number };

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

/**
 * Saves an edition's queue settings in the caller's transaction. Turning it on starts the count afresh:
 * places handed out at an earlier opening do not use up this one's admissions. Returns the settings before.
 */
export async function configureQueue(
  tx: Prisma.TransactionClient,
  editionId: string,
  settings: QueueSettings,
): Promise<QueueSettings> {
  const before = await queueSettingsOf(tx, editionId);
  if (settings.enabled) await tx.$executeRaw`SELECT guichet_queue_prepare(${editionId}::uuid)`;
  const turnedOn = settings.enabled && !before.enabled;
  await tx.$executeRaw`
    INSERT INTO "EditionQueue" ("editionId", enabled, "opensAt", "admitPerSecond", frontier, "tickedAt")
    VALUES (${editionId}::uuid, ${settings.enabled}, ${settings.opensAt}, ${settings.admitPerSecond},
            guichet_queue_issued(${editionId}::uuid), clock_timestamp())
    ON CONFLICT ("editionId") DO UPDATE
       SET enabled = excluded.enabled, "opensAt" = excluded."opensAt", "admitPerSecond" = excluded."admitPerSecond",
           frontier = CASE WHEN ${turnedOn} THEN excluded.frontier ELSE "EditionQueue".frontier END,
           "tickedAt" = CASE WHEN ${turnedOn} THEN excluded."tickedAt" ELSE "EditionQueue"."tickedAt" END`;
  return before;
}

/** The settings as saved; an edition that never had a queue has it off at the default rate. */
export async function queueSettingsOf(db: Queryable, editionId: string): Promise<QueueSettings> {
  const queue = await db.editionQueue.findUnique({ where: { editionId } });
  return {
    enabled: queue?.enabled ?? false,
    opensAt: queue?.opensAt ?? null,
    admitPerSecond: queue?.admitPerSecond ?? DEFAULT_ADMIT_PER_SECOND,
  };
}

/** About 0.6 of what one instance's claim path grants per second when every request is granted. */
export const DEFAULT_ADMIT_PER_SECOND = 50;
