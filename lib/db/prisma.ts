import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma as PrismaSql, PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

export type Db = PrismaClient;
export type { Prisma } from "@/lib/generated/prisma/client";

// The pg pool under each client: the hot statements (registration) run on it directly, skipping Prisma's query
// compiler and interpreter, on the same connections as the rest of the app. Kept on the client under a
// registered symbol: Next.js bundles this module more than once (instrumentation, routes), and every copy
// must find the pool of the one client they share.
const POOL = Symbol.for("guichet.pgPool");
type WithPool = PrismaClient & { [POOL]?: pg.Pool };
// 57P01: the server ended the connection on purpose (shutdown, pg_terminate_backend).
const ADMIN_SHUTDOWN = "57P01";

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle connection the server closes (a restart, a dropped test database) is reported on the pool: the
  // pool replaces it, and an unheard 'error' event would otherwise end the process.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== ADMIN_SHUTDOWN) log.warn({ err: error }, "database connection lost");
  });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  Object.defineProperty(client, POOL, { value: pool });
  return client;
}

/** The pg pool a client made by createPrismaClient runs on (it ends with the client's $disconnect). */
export function hotPool(client: PrismaClient): pg.Pool {
  const pool = (client as WithPool)[POOL];
  if (!pool) throw new Error("hotPool: this Prisma client was not made by createPrismaClient");
  return pool;
}

/**
 * The client's `$queryRaw`, run on its pg pool without Prisma's query engine (about 0.4 ms of the server's CPU
 * less per statement): for the statements on the registration's hot path (the seat counters, the per-client
 * limit). Rows come back as pg parses them, which for those queries (integers, json) is as Prisma would.
 */
export function hotQueries(client: PrismaClient): Pick<PrismaSql.TransactionClient, "$queryRaw"> {
  const $queryRaw = async (strings: TemplateStringsArray, ...values: unknown[]) => {
    const query = PrismaSql.sql(strings, ...values);
    return (await hotPool(client).query(query.text, query.values as unknown[])).rows;
  };
  return { $queryRaw } as unknown as Pick<PrismaSql.TransactionClient, "$queryRaw">;
}

// One client per process; kept on globalThis so dev-mode module reloads do not open new pools.
const globalForPrisma = globalThis as unknown as { guichetPrisma?: PrismaClient };

export function db(): PrismaClient {
  globalForPrisma.guichetPrisma ??= createPrismaClient(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForPrisma.guichetPrisma;
}
