import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
export type { Prisma } from "@/lib/generated/prisma/client";

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

// One client per process; kept on globalThis so dev-mode module reloads do not open new pools.
const globalForPrisma = globalThis as unknown as { guichetPrisma?: PrismaClient };

export function db(): PrismaClient {
  globalForPrisma.guichetPrisma ??= createPrismaClient(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForPrisma.guichetPrisma;
}
