import type { Db } from "@/lib/db/prisma";
import type { SeatUsage } from "@/lib/capacity/seats";
import { env } from "@/lib/env";

/** An edition as registration reads it: its ticket types and its questions in order. */
export type EditionForRegistration = NonNullable<Awaited<ReturnType<typeof readEdition>>>;

/** The edition as registration reads it, from the database. */
export function readEdition(db: Db, slug: string) {
  return db.edition.findUnique({
    where: { slug },
    include: { ticketTypes: true, questions: { orderBy: { position: "asc" } } },
  });
}

/**
 * Editions by slug, kept a few seconds per instance so that a rush reads each edition once per instance
 * per period rather than once per request. What a stale copy could get wrong is checked again where the
 * seat is taken (guichet_place_order: type of this edition, active, on sale, price; edition open;
 * capacity and quotas; the email clash and the unpaid cap), so staleness can only make an order
 * refused, never sold wrongly. Seats are never cached.
 */
export type EditionCache = {
  edition(db: Db, slug: string): Promise<EditionForRegistration | null>;
  /**
   * The edition's seat usage as this instance last read it, if less than USAGE_MS ago, and the seats it has
   * placed since: a hint for sparing a read (see registerAttendee), never what grants or refuses a seat.
   */
  seatReading(editionId: string): SeatReading | null;
  /** A fresh reading; null forgets the last one (a claim found the edition fuller than it said). */
  noteReading(editionId: string, usage: SeatUsage | null): void;
  notePlaced(editionId: string, seats: number): void;
  /** Forgets an edition: its next read goes to the database. */
  invalidate(editionId: string): void;
};

export type SeatReading = { usage: SeatUsage; placedSince: number };

type Entry = { expiresAt: number; editionId: string | null; read: Promise<EditionForRegistration | null> };

// Every cache of this process, so that an edit in this instance is seen at once by its next registration; on
// globalThis, as the app's cache, so that dev-mode module reloads keep one of each.
const shared = globalThis as unknown as {
  guichetEditionCaches?: Set<EditionCache>;
  guichetEditionCache?: EditionCache;
};
const caches = (shared.guichetEditionCaches ??= new Set<EditionCache>());

// An unknown slug is remembered briefly: enough to absorb a burst, short enough for an edition just created.
const UNKNOWN_SLUG_MS = 1_000;
// Seats move fast in a rush: a reading is a hint for half a second.
const USAGE_MS = 500;

/** A cache keeping editions `seconds` (0: none kept, every call reads), on `clock` (milliseconds). */
export function createEditionCache({ seconds, clock = Date.now }: { seconds: number; clock?: () => number }) {
  const entries = new Map<string, Entry>();
  const readings = new Map<string, SeatReading & { at: number }>();
  const cache: EditionCache = {
    edition(db, slug) {
      if (seconds === 0) return readEdition(db, slug);
      const now = clock();
      const cached = entries.get(slug);
      if (cached && cached.expiresAt > now) return cached.read;
      // One read in flight per slug: every request arriving meanwhile waits for it.
      const entry: Entry = { expiresAt: now + seconds * 1000, editionId: null, read: readEdition(db, slug) };
      entries.set(slug, entry);
      entry.read.then(
        (edition) => {
          entry.editionId = edition?.id ?? null;
          if (!edition) entry.expiresAt = Math.min(entry.expiresAt, now + UNKNOWN_SLUG_MS);
        },
        () => entries.get(slug) === entry && entries.delete(slug),
      );
      return entry.read;
    },
    seatReading(editionId) {
      const reading = readings.get(editionId);
      return reading && clock() - reading.at < USAGE_MS ? reading : null;
    },
    noteReading(editionId, usage) {
      if (usage && seconds > 0) readings.set(editionId, { at: clock(), usage, placedSince: 0 });
      else readings.delete(editionId);
    },
    notePlaced(editionId, seats) {
      const reading = readings.get(editionId);
      if (reading) reading.placedSince += seats;
    },
    invalidate(editionId) {
      readings.delete(editionId);
      // A read still in flight may have started before the change committed: it goes too.
      for (const [slug, entry] of entries) {
        if (entry.editionId === editionId || entry.editionId === null) entries.delete(slug);
      }
    },
  };
  caches.add(cache);
  return cache;
}

/** After an edit of an edition (its settings, ticket types or questions) has committed. */
export function invalidateEdition(editionId: string): void {
  for (const cache of caches) cache.invalidate(editionId);
}

/** This instance's cache, kept EDITION_CACHE_SECONDS. */
export function editionCache(): EditionCache {
  shared.guichetEditionCache ??= createEditionCache({ seconds: env().EDITION_CACHE_SECONDS });
  return shared.guichetEditionCache;
}
