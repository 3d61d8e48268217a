import type { Db } from "@/lib/db/prisma";
import { getSeatUsage, seatsTaken } from "@/lib/capacity/seats";

/** What the gate needs to know of an edition's queue: null when there is none or it is off. */
export type QueueState = {
  editionId: string;
  queue: null | { opensAt: Date | null; admitPerSecond: number; admitted: number; seatsLeft: number };
};

/** An edition's queue now, by the edition's public address; null for an unknown or draft edition. */
export async function readQueueState(db: Db, slug: string): Promise<QueueState | null> {
  const [row] = await db.$queryRaw<
    {
      id: string;
      capacity: number;
      enabled: boolean | null;
      opensAt: Date | null;
      admitPerSecond: number | null;
      admitted: number | null;
    }[]
  >`
    SELECT e.id, e.capacity, q.enabled, q."opensAt", q."admitPerSecond", floor(q.frontier)::integer AS admitted
      FROM "Edition" e LEFT JOIN "EditionQueue" q ON q."editionId" = e.id
     WHERE e.slug = ${slug} AND e.status <> 'DRAFT'`;
  if (!row) return null;
  if (!row.enabled) return { editionId: row.id, queue: null };
  const seatsLeft = Math.max(0, row.capacity - seatsTaken(await getSeatUsage(db, row.id)));
  return {
    editionId: row.id,
    queue: {
      opensAt: row.opensAt,
      admitPerSecond: row.admitPerSecond ?? 1,
      admitted: row.admitted ?? 0,
      seatsLeft,
    },
  };
}

// Entries kept before the stale ones are dropped: any slug can be asked for, so the cache must not grow with them.
const MAX_CACHED_EDITIONS = 1000;

/**
 * readQueueState shared for `ttlMs` by every request of this instance: at an opening thousands of waiting
 * buyers poll, and the frontier only moves every 250 ms anyway. Only the gate's advice is cached: the seat is
 * still claimed under the edition's lock, and the one-order-per-place rule is a unique index.
 */
export function cachedQueueState(ttlMs = 250, clock = () => Date.now()) {
  const cache = new Map<string, { at: number; state: Promise<QueueState | null> }>();
  const read = (db: Db, slug: string): Promise<QueueState | null> => {
    const now = clock();
    const hit = cache.get(slug);
    if (hit && now - hit.at < ttlMs) return hit.state;
    if (cache.size >= MAX_CACHED_EDITIONS) {
      for (const [key, entry] of cache) if (now - entry.at >= ttlMs) cache.delete(key);
      if (cache.size >= MAX_CACHED_EDITIONS) cache.clear();
    }
    const state = readQueueState(db, slug);
    cache.set(slug, { at: now, state });
    state.catch(() => cache.delete(slug));
    return state;
  };
  return Object.assign(read, { size: () => cache.size });
}
