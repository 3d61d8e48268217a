// What the benchmarks share: a throw-away embedded Postgres with a migrated database, and waiting
// for the app to answer.
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDeploy } from "@/lib/db/migrate";
import { installJobQueue } from "@/lib/email/queue";

export async function startBenchDatabase({ logFile }: { logFile?: string } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "guichet-bench-"));
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false, onLog: (line) => logFile && appendFileSync(logFile, line) });
  const admin = new pg.Client({ connectionString: postgres.urlFor("postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE guichet_bench");
  await admin.end();
  const url = postgres.urlFor("guichet_bench");
  console.log("Migrating the benchmark database…");
  await migrateDeploy(url);
  await installJobQueue(url);
  return {
    url,
    async stop() {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
