import { Client } from "pg";

// One advisory lock on the e2e database (a two-int key of its own) orders the specs around the app's clock.
const CLOCK_LOCK = [2026, 18] as const;

/**
 * The e2e server is shared by every spec and worker, so a moved clock (e2e/support/clock.ts) would reach the holds,
 * blocks and offers of whatever runs beside it. Every test takes a shared turn; a test that moves the clock takes the
 * exclusive one, so it runs alone, and resets the clock before giving it back. Postgres queues a shared request behind
 * a waiting exclusive one, so the clock's test is not starved. The lock lives as long as its own connection.
 */
export async function takeClockTurn(mode: "shared" | "exclusive"): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the e2e tests through `npm test`.");
  const client = new Client({ connectionString: url, application_name: `e2e clock turn (${mode})` });
  await client.connect();
  const lock = mode === "shared" ? "pg_advisory_lock_shared" : "pg_advisory_lock";
  await client.query(`SELECT ${lock}($1, $2)`, [...CLOCK_LOCK]);
  return () => client.end();
}
