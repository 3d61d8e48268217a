import type { Db } from "@/lib/db/prisma";

/** A limit to count one more attempt against: `limit` attempts per key in a fixed window of `windowSeconds`. */
export type RateLimit = { key: string; limit: number; windowSeconds: number };

/**
 * Counts one more attempt against `key` in a fixed window and says whether it is within `limit`.
 * One statement (guichet_consume_rate_limit, also called where a registration is placed), so
 * concurrent attempts on several instances are all counted.
 */
export async function consumeRateLimit(
  db: Pick<Db, "$queryRaw">,
  key: string,
  { limit, windowSeconds, now = new Date() }: { limit: number; windowSeconds: number; now?: Date },
): Promise<boolean> {
  const [row] = await db.$queryRaw<{ within: boolean }[]>`
    SELECT guichet_consume_rate_limit(${key}, ${limit}::integer, ${windowSeconds}::integer, ${now}::timestamptz)
      AS within`;
  return row.within;
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
export function clientRateLimit(
  scope: string,
  clientKey: string | null,
  { limit, windowSeconds }: { limit: number; windowSeconds: number },
): RateLimit | null {
  return clientKey === null ? null : { key: `${scope}:client:${clientKey}`, limit, windowSeconds };
}

/** Counts one more attempt against a per-client limit (see clientRateLimit); true while within it. */
export async function consumeClientRateLimit(
  db: Pick<Db, "$queryRaw">,
  scope: string,
  clientKey: string | null,
  options: { limit: number; windowSeconds: number; now?: Date },
): Promise<boolean> {
  const limit = clientRateLimit(scope, clientKey, options);
  return limit === null || consumeRateLimit(db, limit.key, { ...limit, now: options.now });
}
