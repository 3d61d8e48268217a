import type { Db } from "@/lib/db/prisma";

/**
 * Counts one more attempt against `key` in a fixed window and says whether it is within `limit`.
 * One upsert statement, so concurrent attempts on several instances are all counted.
 */
export async function consumeRateLimit(
  db: Pick<Db, "$queryRaw">,
  key: string,
  { limit, windowSeconds, now = new Date() }: { limit: number; windowSeconds: number; now?: Date },
): Promise<boolean> {
  const windowOpenedAfter = new Date(now.getTime() - windowSeconds * 1000);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" (key, "windowStart", count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimit"."windowStart" <= ${windowOpenedAfter} THEN 1 ELSE "RateLimit".count + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${windowOpenedAfter} THEN ${now}
                      ELSE "RateLimit"."windowStart" END
    RETURNING count`;
  return row.count <= limit;
}

/**
 * Gives back one attempt counted by consumeRateLimit, for limits that count only failures: the
 * attempt is counted before the work so concurrent attempts cannot all slip past the limit, and
 * returned once it turns out to have succeeded.
 */
export async function refundRateLimit(db: Pick<Db, "$executeRaw">, key: string): Promise<void> {
  await db.$executeRaw`UPDATE "RateLimit" SET count = count - 1 WHERE key = ${key} AND count > 0`;
}

/**
 * A per-client limit (`scope:client:<address>`). A caller whose address cannot be told (null, see
 * lib/http/client-address.ts) is not counted: one shared bucket would let anyone use it up for all.
 */
export async function consumeClientRateLimit(
  db: Pick<Db, "$queryRaw">,
  scope: string,
  clientKey: string | null,
  options: { limit: number; windowSeconds: number; now?: Date },
): Promise<boolean> {
  return clientKey === null || consumeRateLimit(db, `${scope}:client:${clientKey}`, options);
}
