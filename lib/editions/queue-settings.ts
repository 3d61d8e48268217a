import type { Db, Prisma } from "@/lib/db/prisma";

// An edition's waiting room as the organiser sets it (the edition form's waiting-room block); the queue itself
// (arrivals, admission, places) is lib/queue's.

/** An edition's queue as the organiser sets it. */
export type QueueSettings = { enabled: boolean; opensAt: Date | null; admitPerSecond: number };

type Queryable = Db | Prisma.TransactionClient;

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
