// What the benchmarks share: an embedded Postgres (deleted afterwards) with a migrated database, and
// waiting for the app to answer.
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { findFreePort, startEmbeddedPostgres, type Durability } from "@/devtools/postgres/embedded-postgres";
import { migrateDeploy } from "@/devtools/postgres/migrate";
import { installJobQueue } from "@/lib/email/queue";
import { buildIfStale, nextBin, serverNodeArgs } from "@/scripts/next-build";

/**
 * Durable by default, so the numbers are those of a real database; BENCH_DURABILITY=throwaway turns
 * off fsync and friends to see what the disk costs. The settings are printed with the numbers.
 */
export function benchDurability(): Durability {
  const asked = process.env.BENCH_DURABILITY ?? "durable";
  if (asked !== "durable" && asked !== "throwaway")
    throw new Error(`BENCH_DURABILITY must be durable or throwaway, not ${asked}`);
  return asked;
}

export async function startBenchDatabase({ logFile }: { logFile?: string } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "guichet-bench-"));
  const durability = benchDurability();
  const postgres = await startEmbeddedPostgres({
    dataDir,
    persistent: false,
    durability,
    onLog: (line) => logFile && appendFileSync(logFile, line),
  });
  const admin = new pg.Client({ connectionString: postgres.urlFor("postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE guichet_bench");
  await admin.end();
  const url = postgres.urlFor("guichet_bench");
  const settings = new pg.Client({ connectionString: url });
  await settings.connect();
  const shown = await settings.query(
    "SELECT name, setting FROM pg_settings " +
      "WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name",
  );
  await settings.end();
  console.log(`Postgres ${durability}: ${shown.rows.map((row) => `${row.name}=${row.setting}`).join(", ")}`);
  console.log("Migrating the benchmark database…");
  await migrateDeploy(url);
  await installJobQueue(url);
  return {
    url,
    /** The postmaster, whose process tree is all of Postgres's CPU (backends, background workers). */
    postmasterPid: Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]),
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

/** `count` confirmed attendees in one statement (orders and their tickets), references prefixed. */
export async function seedAttendees(
  url: string,
  editionId: string,
  ticketTypeId: string,
  count: number,
  prefix: string,
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `WITH o AS (
       INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerFirstName", "buyerLastName", "buyerEmail",
         locale, status, "amountCents", currency, "confirmedAt", "updatedAt")
       SELECT gen_random_uuid(), $4 || lpad(n::text, 9, '0'), md5(n::text || random()::text), $1, 'Hélène',
         'Dupré ' || $4 || lpad(n::text, 9, '0'), 'bench.' || n || '@example.org', 'fr', 'CONFIRMED', 4900, 'EUR',
         now(), now()
       FROM generate_series(1, $3::int) n
       RETURNING id, "buyerEmail", reference)
     INSERT INTO "Ticket" (id, "orderId", "editionId", "ticketTypeId", "firstName", "lastName", email, company, answers,
       "priceCents", "updatedAt")
     SELECT gen_random_uuid(), o.id, $1, $2, 'Hélène', 'Dupré ' || o.reference, o."buyerEmail", '=Société, "anonyme"',
       '{"tshirt":"m","note":"Végétarien"}', 4900, now() FROM o`,
    [editionId, ticketTypeId, count, prefix],
  );
  // As autovacuum would soon after a real sale: without statistics the planner takes 30,000 fresh rows for none.
  await client.query(`ANALYZE "Order", "Ticket"`);
  await client.end();
}

// A benchmark is one client firing thousands of registrations: the per-client limits and the
// proof-of-work challenge that stop such a client in production are lifted for it.
export const BENCH_ABUSE_SETTINGS = {
  REGISTRATION_CHALLENGE: "off",
  REGISTRATIONS_PER_CLIENT_PER_HOUR: "1000000",
  UNPAID_HOLDS_PER_CLIENT: "1000000",
};

/**
 * Starts the built app (building it first if a source is newer) with `env` on a free port, waits until
 * `readyPath` answers, and says how to reach and stop it. `cpu` pins it to one core (taskset), so two
 * instances each get their own, as on two machines.
 */
export async function startApp(env: Record<string, string>, readyPath: string, { cpu }: { cpu?: number } = {}) {
  buildIfStale();
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROFILE=<dir> writes the app's V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const server = [
    ...serverNodeArgs(process.env),
    nextBin(),
    "start",
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
  ];
  const next = [...profile, ...server];
  const child = spawn(
    cpu === undefined ? process.execPath : "taskset",
    cpu === undefined ? next : ["-c", String(cpu), process.execPath, ...next],
    {
      stdio: "inherit",
      env: { ...process.env, ...BENCH_ABUSE_SETTINGS, ...env, APP_URL: baseUrl, NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  await waitFor(`${baseUrl}${readyPath}`, 30_000);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    baseUrl,
    pid: child.pid!,
    // Postgres must outlive the server: connections it drops under a server still running are errors there.
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * A pg pool for the bench's own queries. pg-pool's end() resolves before its sockets have closed, so
 * Postgres stopping right after can still drop one of them ("terminating connection due to
 * administrator command", 57P01): that is the end of the run, not an error in it.
 */
export function benchPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  return pool;
}
