// The database a command-line script works on: DATABASE_URL, else the embedded Postgres of `npm start`, the running
// one if its port answers, else started on .data/postgres for the script's run and stopped after.
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type RunningPostgres } from "@/devtools/postgres/embedded-postgres";

export type ScriptDatabase = { url: string; close(): Promise<void> };

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * `mustExist`: a script that reads data (a backup) has nothing to do on a folder never made; one that writes it
 * (an account) lets the embedded Postgres make one.
 */
export async function openScriptDatabase({ mustExist }: { mustExist: boolean }): Promise<ScriptDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, close: async () => {} };
  const port = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
  const url = `postgresql://guichet:guichet@127.0.0.1:${port}/guichet`;
  if (await reachable(url)) return { url, close: async () => {} };
  const dataDir = path.resolve(".data", "postgres");
  if (mustExist && !existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new Error(`DATABASE_URL is not set and ${dataDir} holds no database (npm start makes it)`);
  }
  const embedded: RunningPostgres = await startEmbeddedPostgres({
    dataDir,
    port,
    persistent: true,
    durability: "durable",
  });
  return { url, close: () => embedded.stop() };
}
