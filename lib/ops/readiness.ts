import { readdirSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { db, hotPool } from "@/lib/db/prisma";
import { EMAIL_QUEUES } from "@/lib/email/queue";

// What the load balancer asks (docs/operations.md, "Health and shutdown"): /api/health says the process runs,
// /api/ready whether this instance can serve: its database answers, every migration this release ships is applied,
// and the email queues exist (pg-boss silently drops a job sent to a missing queue).

export type Readiness =
  | { status: "ready"; database: "ok"; migrations: "current"; queue: "ok" }
  | { status: "not_ready"; database: "ok"; migrations: "current" | "behind"; queue: "ok" | "missing" }
  // Nothing is known of the migrations or the queues of a database that does not answer.
  | { status: "not_ready"; database: "unreachable" };

export type ReadinessExpected = { migrations: readonly string[]; queues: readonly string[] };

/** The migrations a release ships: the directory names under prisma/migrations, as `prisma migrate` records them. */
export function migrationNamesIn(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

type Part = "migrations" | "queue";
const PARTS: readonly Part[] = ["migrations", "queue"];
const COUNTS: Record<Part, { table: string; count: (param: string) => string }> = {
  // A migration applied by a newer release and unknown here is fine: migrations are expand-only.
  migrations: {
    table: "_prisma_migrations",
    count: (param) =>
      `SELECT count(DISTINCT migration_name)::int FROM _prisma_migrations
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL AND migration_name = ANY(${param}::text[])`,
  },
  queue: {
    table: "pgboss.queue",
    count: (param) => `SELECT count(*)::int FROM pgboss.queue WHERE name = ANY(${param}::text[])`,
  },
};
const UNDEFINED_TABLE = "42P01";
// pg honours a query's own `query_timeout`, which its types leave out.
type TimedQuery = pg.QueryConfig & { query_timeout: number };

async function countsOf(pool: Pick<pg.Pool, "query">, expected: ReadinessExpected, timeoutMs: number) {
  const values = { migrations: [...expected.migrations], queue: [...expected.queues] };
  const count = async (parts: readonly Part[]): Promise<Partial<Record<Part, number>>> => {
    if (parts.length === 0) return {};
    const text = `SELECT ${parts.map((part, i) => `(${COUNTS[part].count(`$${i + 1}`)}) AS ${part}`).join(", ")}`;
    // On overrun pg fails the query and the pool drops its connection, so a stuck probe never holds one.
    const query: TimedQuery = { text, values: parts.map((part) => values[part]), query_timeout: timeoutMs };
    const { rows } = await pool.query(query);
    return rows[0];
  };
  try {
    return await count(PARTS);
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error;
  }
  // A database never migrated, or whose job queue no instance has installed yet: count what exists.
  const exists = PARTS.map((part) => `to_regclass('${COUNTS[part].table}') IS NOT NULL AS ${part}`).join(", ");
  const query: TimedQuery = { text: `SELECT ${exists}`, query_timeout: timeoutMs };
  const { rows } = await pool.query(query);
  return count(PARTS.filter((part) => rows[0][part]));
}

/**
 * Whether an instance on this pool can serve: one statement (two more only when a table is missing), answered
 * within `timeoutMs` or the database counts as unreachable, as it does when the pool cannot connect.
 */
export async function checkReadiness(
  pool: Pick<pg.Pool, "query">,
  expected: ReadinessExpected,
  timeoutMs = 2000,
): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  // The pool may wait for a connection much longer than a query runs (an unanswered connect, a full pool).
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
  const answer = await Promise.race([countsOf(pool, expected, timeoutMs), late])
    .catch(() => "failed" as const)
    .finally(() => clearTimeout(timer));
  if (answer === "late" || answer === "failed") return { status: "not_ready", database: "unreachable" };
  const migrations = (answer.migrations ?? 0) === new Set(expected.migrations).size ? "current" : "behind";
  const queue = (answer.queue ?? 0) === new Set(expected.queues).size ? "ok" : "missing";
  if (migrations === "current" && queue === "ok") return { status: "ready", database: "ok", migrations, queue };
  return { status: "not_ready", database: "ok", migrations, queue };
}

/**
 * `check`, asked at most once per `keepMs`: callers share a check in flight, and its answer for `keepMs` after it
 * came (by `now`, in milliseconds), so a balancer probing every instance often costs the database one statement a
 * second per instance.
 */
export function keptFor(check: () => Promise<Readiness>, keepMs: number, now: () => number) {
  let kept: { answer: Promise<Readiness>; until: number } | undefined;
  return (): Promise<Readiness> => {
    if (kept && now() < kept.until) return kept.answer;
    const entry = { answer: check(), until: Number.POSITIVE_INFINITY };
    kept = entry;
    const settled = () => {
      entry.until = now() + keepMs;
    };
    entry.answer.then(settled, settled);
    return entry.answer;
  };
}

let migrationNames: string[] | undefined;

/**
 * This instance's readiness, kept 1 s. The migration names are read once, from the release's own directory:
 * `next start` runs from the release's root (the systemd unit's WorkingDirectory, the e2e server's cwd).
 */
export const thisInstanceReadiness = keptFor(
  () => {
    migrationNames ??= migrationNamesIn(path.join(process.cwd(), "prisma", "migrations"));
    return checkReadiness(hotPool(db()), { migrations: migrationNames, queues: EMAIL_QUEUES });
  },
  1000,
  Date.now,
);
