// npm run bench:rush — the opening-minute rush, measured (not a test: it prints numbers).
// Starts the built app on an embedded Postgres, opens a 300-seat edition, fires 2,000 concurrent
// registrations through the HTTP API, then fires the same seat-taking transaction straight at
// Postgres to show the ceiling the app is working against.
import pg from "pg";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { createPrismaClient } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { getSeatUsage } from "@/lib/capacity/seats";
import { buildIfStale, spawnNext } from "@/scripts/next-build";
import { BENCH_ABUSE_SETTINGS, percentile, startBenchDatabase, waitFor } from "./support";

const SEATS = 300;
const REQUESTS = Number(process.env.RUSH_REQUESTS ?? 2000);
const RAW_POOL = 20;

async function rushThroughApp(baseUrl: string, slug: string) {
  const latencies: number[] = [];
  const statuses = new Map<number | string, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const t0 = performance.now();
      // 2,000 simultaneous connects overflow the listen backlog; a client that gives up is counted,
      // not allowed to abort the run.
      const outcome = await fetch(`${baseUrl}/api/v1/editions/${slug}/registrations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          ticketType: "free",
          attendee: { firstName: "Rush", lastName: `N${i}`, email: `rush.${i}@example.org` },
        }),
      }).then(
        async (response) => (await response.arrayBuffer(), response.status),
        (error: Error) => `client error (${(error.cause as Error | undefined)?.message ?? error.message})`,
      );
      latencies.push(performance.now() - t0);
      statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, latencies, statuses };
}

// The statements registerAttendee runs, in raw SQL over a plain pool: lock, count, insert.
async function rushRawPostgres(url: string, editionId: string, ticketTypeId: string) {
  const pool = new pg.Pool({ connectionString: url, max: RAW_POOL });
  let granted = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query(`SELECT capacity FROM "Edition" WHERE id = $1 FOR NO KEY UPDATE`, [
          editionId,
        ]);
        const taken = await client.query(
          `SELECT count(*)::int AS n FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
           WHERE t."editionId" = $1 AND t.status = 'ACTIVE' AND (o.status = 'CONFIRMED' OR (o.status = 'PENDING' AND o."holdExpiresAt" > now()))`,
          [editionId],
        );
        if (taken.rows[0].n < rows[0].capacity) {
          const order = await client.query(
            `INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerEmail", locale, status, "amountCents", currency, "confirmedAt", "updatedAt")
             VALUES (gen_random_uuid(), $1, $2, $3, $4, 'en', 'CONFIRMED', 0, 'EUR', now(), now()) RETURNING id`,
            [`RAW${i}`, `raw-token-${i}`, editionId, `raw.${i}@example.org`],
          );
          await client.query(
            `INSERT INTO "Ticket" (id, "orderId", "editionId", "ticketTypeId", "firstName", "lastName", email, "priceCents", "updatedAt")
             VALUES (gen_random_uuid(), $1, $2, $3, 'Raw', 'Rush', $4, 0, now())`,
            [order.rows[0].id, editionId, ticketTypeId, `raw.${i}@example.org`],
          );
          granted += 1;
        }
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return { seconds, granted };
}

async function main() {
  const database = await startBenchDatabase({ logFile: process.env.BENCH_PG_LOG });
  const { url } = database;
  let app: ReturnType<typeof spawnNext> | undefined;
  try {
    const db = createPrismaClient(url, 2);
    const appEdition = await createEdition(db, { capacity: SEATS });
    const rawEdition = await createEdition(db, { capacity: SEATS });

    buildIfStale();
    const port = await findFreePort();
    app = spawnNext("start", port, {
      ...process.env,
      ...BENCH_ABUSE_SETTINGS,
      DATABASE_URL: url,
      APP_URL: `http://localhost:${port}`,
    });
    const baseUrl = `http://localhost:${port}`;
    await waitFor(`${baseUrl}/api/v1/editions/${appEdition.slug}`, 30_000);
    // One warm-up request so the first timings do not include route compilation and pool set-up.
    await fetch(`${baseUrl}/api/v1/editions/${appEdition.slug}`);

    console.log(`Firing ${REQUESTS} concurrent registrations at a ${SEATS}-seat edition through the HTTP API…`);
    const rush = await rushThroughApp(baseUrl, appEdition.slug);
    const usage = await getSeatUsage(db, appEdition.id, new Date());
    const granted = rush.statuses.get(201) ?? 0;
    const taken = usage.confirmed + usage.held;

    console.log(
      `Firing the same seat-taking transaction ${REQUESTS} times straight at Postgres (pool of ${RAW_POOL})…`,
    );
    const raw = await rushRawPostgres(url, rawEdition.id, rawEdition.ticketTypes[0].id);
    await db.$disconnect();

    const appRate = REQUESTS / rush.seconds;
    const rawRate = REQUESTS / raw.seconds;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log("");
    console.log(
      `requests:            ${REQUESTS} (${[...rush.statuses].map(([status, n]) => `${n} × ${status}`).join(", ")})`,
    );
    console.log(`seats granted:       ${granted} of ${SEATS} (seats taken in the database: ${taken})`);
    console.log(`oversold:            ${Math.max(0, taken - SEATS, granted - SEATS)}`);
    console.log(`app throughput:      ${appRate.toFixed(0)} requests/s (${rush.seconds.toFixed(2)} s for all)`);
    console.log(
      `app latency:         p50 ${ms(percentile(rush.latencies, 50))}, p95 ${ms(percentile(rush.latencies, 95))}, p99 ${ms(percentile(rush.latencies, 99))}`,
    );
    console.log(
      `raw Postgres:        ${rawRate.toFixed(0)} transactions/s (${raw.granted} granted, ${raw.seconds.toFixed(2)} s)`,
    );
    console.log(`app / raw:           ${(appRate / rawRate).toFixed(2)}`);
  } finally {
    app?.kill("SIGTERM");
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
