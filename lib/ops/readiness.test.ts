import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { cloneTemplateDatabase, dropDatabase, withClient } from "@/devtools/testing/test-postgres";
import { EMAIL_BULK_QUEUE, EMAIL_QUEUES } from "@/lib/email/queue";
import { checkReadiness, keptFor, migrationNamesIn, type Readiness } from "./readiness";

const adminUrl = inject("testPostgresAdminUrl");
const created: string[] = [];
const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await Promise.all(created.map((name) => dropDatabase(adminUrl, name)));
});

const RELEASE = { migrations: migrationNamesIn(path.resolve("prisma/migrations")), queues: EMAIL_QUEUES };

/** A database of its own for each test (a clone of the migrated template, pg-boss installed), and a pool on it. */
async function database(template = true) {
  const name = `guichet_ready_${randomUUID().replaceAll("-", "")}`;
  created.push(name);
  const url = template
    ? await cloneTemplateDatabase(adminUrl, name)
    : await withClient(adminUrl, async (client) => {
        await client.query(`CREATE DATABASE "${name}"`);
        return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
      });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return { url, pool, sql: (text: string) => withClient(url, (client) => client.query(text)) };
}

const READY: Readiness = { status: "ready", database: "ok", migrations: "current", queue: "ok" };

describe("checkReadiness", () => {
  it("is ready on a migrated database with its queues, whatever a newer release applied beside", async () => {
    const { pool, sql } = await database();
    expect(RELEASE.migrations.length).toBeGreaterThan(40);
    expect(await checkReadiness(pool, RELEASE)).toEqual(READY);
    // Migrations are expand-only: the previous release keeps serving while the next one's are applied.
    await sql(`INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
               VALUES (gen_random_uuid()::text, 'x', '20991231000000_next_release', now(), 1)`);
    expect(await checkReadiness(pool, RELEASE)).toEqual(READY);
  });

  it("is behind when a shipped migration is not applied, or failed, or is unknown to the database", async () => {
    const { pool, sql } = await database();
    const unknown = { ...RELEASE, migrations: [...RELEASE.migrations, "20991231000000_not_applied_yet"] };
    expect(await checkReadiness(pool, unknown)).toEqual({ ...READY, status: "not_ready", migrations: "behind" });

    const last = RELEASE.migrations.toSorted().at(-1);
    await sql(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${last}'`);
    expect(await checkReadiness(pool, RELEASE)).toMatchObject({ status: "not_ready", migrations: "behind" });
    await sql(`DELETE FROM _prisma_migrations WHERE migration_name = '${last}'`);
    expect(await checkReadiness(pool, RELEASE)).toEqual({ ...READY, status: "not_ready", migrations: "behind" });
  });

  it("says which queue part is missing: a queue dropped, or pg-boss never installed", async () => {
    const { pool, sql } = await database();
    await sql(`DELETE FROM pgboss.queue WHERE name = '${EMAIL_BULK_QUEUE}'`);
    expect(await checkReadiness(pool, RELEASE)).toEqual({ ...READY, status: "not_ready", queue: "missing" });
    await sql(`DROP SCHEMA pgboss CASCADE`);
    expect(await checkReadiness(pool, RELEASE)).toEqual({ ...READY, status: "not_ready", queue: "missing" });
  });

  it("on an empty database: reachable, behind, no queue", async () => {
    const { pool } = await database(false);
    expect(await checkReadiness(pool, RELEASE)).toEqual({
      status: "not_ready",
      database: "ok",
      migrations: "behind",
      queue: "missing",
    });
  });

  it("is unreachable when the pool cannot connect", async () => {
    const url = Object.assign(new URL(adminUrl), { port: String(await findFreePort()) }).toString();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pools.push(pool);
    expect(await checkReadiness(pool, RELEASE)).toEqual({ status: "not_ready", database: "unreachable" });
  });

  it("is unreachable when the statement does not answer in time, and leaves no connection stuck", async () => {
    const { url, pool } = await database();
    // Another session holds the migrations table: the probe waits on its lock until the timeout.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query("BEGIN; LOCK TABLE _prisma_migrations IN ACCESS EXCLUSIVE MODE");
      expect(await checkReadiness(pool, RELEASE, 200)).toEqual({ status: "not_ready", database: "unreachable" });
      // pg gives up the overrun query and the pool ends its connection.
      await expect.poll(() => pool.totalCount).toBe(0);
      await blocker.query("ROLLBACK");
    } finally {
      await blocker.end();
    }
    expect(await checkReadiness(pool, RELEASE)).toEqual(READY);
  });
});

describe("keptFor", () => {
  it("shares a check in flight and keeps its answer for the given time after it came", async () => {
    const { pool, sql } = await database();
    let checks = 0;
    let clock = 0;
    const readiness = keptFor(
      () => {
        checks += 1;
        return checkReadiness(pool, RELEASE);
      },
      1000,
      () => clock,
    );
    const [first, second] = await Promise.all([readiness(), readiness()]);
    expect([first, second, checks]).toEqual([READY, READY, 1]);

    await sql(`DELETE FROM pgboss.queue WHERE name = '${EMAIL_BULK_QUEUE}'`);
    clock = 999;
    expect([await readiness(), checks]).toEqual([READY, 1]);
    clock = 1000;
    expect([await readiness(), checks]).toEqual([{ ...READY, status: "not_ready", queue: "missing" }, 2]);
  });
});
