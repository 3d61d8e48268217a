import type { Db } from "@/lib/db/prisma";

/**
 * Counts one more attempt against `key` in a fixed window and says whether it is within `limit`.
 * One upsert statement, so concurrent attempts on several instances are all counted.
 */
export async function consumeRateLimit(db: Pick<Db, "$queryRaw">, key: string, { limit, windowSeconds, now = new Date() }: { limit: number; windowSeconds: number; now?: Date }): Promise<boolean> {
  const windowOpenedAfter = new Date(now.getTime() - windowSeconds * 1000);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" (key, "windowStart", count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimit"."windowStart" <= ${windowOpenedAfter} THEN 1 ELSE "RateLimit".count + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${windowOpenedAfter} THEN ${now} ELSE "RateLimit"."windowStart" END
    RETURNING count`;
  return row.count <= limit;
}

/** Whether `key` has already used up `limit` attempts in its current window, without counting one. */
export async function rateLimitReached(db: Pick<Db, "$queryRaw">, key: string, { limit, windowSeconds, now = new Date() }: { limit: number; windowSeconds: number; now?: Date }): Promise<boolean> {
  const windowOpenedAfter = new Date(now.getTime() - windowSeconds * 1000);
  const rows = await db.$queryRaw<{ count: number }[]>`
    SELECT count FROM "RateLimit" WHERE key = ${key} AND "windowStart" > ${windowOpenedAfter}`;
  return (rows[0]?.count ?? 0) >= limit;
}
