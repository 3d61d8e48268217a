import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { cloneTemplateDatabase, dropDatabase } from "./test-postgres";

/** A fresh migrated database for the calling test file, dropped after its tests. */
export async function useTestDatabase(
  poolSize = 10,
): Promise<{ db: Db; url: string; newClient(poolSize?: number): Db }> {
  const adminUrl = inject("testPostgresAdminUrl");
  const name = `guichet_test_${randomUUID().replaceAll("-", "")}`;
  const url = await cloneTemplateDatabase(adminUrl, name);
  const clients: Db[] = [];
  const newClient = (size = poolSize) => {
    const client = createPrismaClient(url, size);
    clients.push(client);
    return client;
  };
  const db = newClient();
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.$disconnect()));
    await dropDatabase(adminUrl, name);
  });
  return { db, url, newClient };
}
