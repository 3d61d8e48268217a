// npm run bench:rush — the opening-minute rush, measured (not a test: it prints numbers).
// Starts the built app on an embedded Postgres, opens a 300-seat edition, fires 2,000 concurrent
// registrations through the HTTP API, then fires the same seat-taking transaction straight at
// Postgres to show the ceiling the app is working against.
// RUSH_GROUPS=1-10 makes each request a group order of 1 to 10 tickets across two ticket types (one
// with a quota), as teams buy: it then reports tickets/s and orders/s, and any order granted in part.
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
const [MIN_GROUP, MAX_GROUP = MIN_GROUP] = (process.env.RUSH_GROUPS ?? "1").split("-").map(Number);
const GROUPS = MAX_GROUP > 1;
const STUDENT_QUOTA = 60;

/** Request i's group: a size spread evenly over the range, every fourth ticket a student one. */
function groupOf(i: number): ("free" | "student")[] {
  const size = GROUPS ? MIN_GROUP + ((i * 7) % (MAX_GROUP - MIN_GROUP + 1)) : 1;
  return Array.from({ length: size }, (_, j) => (GROUPS && (i + j) % 4 === 0 ? "student" : "free"));
}

function requestBody(i: number) {
  const attendee = (j: number) => ({ firstName: "Rush", lastName: `N${i}-${j}`, email: `rush.${i}.${j}@example.org` });
  if (!GROUPS) return { ticketType: "free", attendee: attendee(0) };
  const buyer = { firstName: "Buyer", lastName: `N${i}`, email: `buyer.${i}@example.org` };
  return { buyer, tickets: groupOf(i).map((ticketType, j) => ({ ticketType, attendee: attendee(j) })) };
}
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
        body: JSON.stringify(requestBody(i)),
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

// The statements registerAttendee runs, in raw SQL over a plain pool: insert the order and its tickets,
// lock, count, commit or roll back (all or nothing, as the app).
async function rushRawPostgres(url: string, editionId: string, typeIds: Record<"free" | "student", string>) {
  const pool = new pg.Pool({ connectionString: url, max: RAW_POOL });
  let granted = 0;
  let tickets = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const client = await pool.connect();
      const group = groupOf(i);
      try {
        await client.query("BEGIN");
        const order = await client.query(
          `INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerFirstName", "buyerLastName",
             "buyerEmail", locale, status, "amountCents", currency, "confirmedAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, $2, $3, 'Raw', 'Rush', $4, 'en', 'CONFIRMED', 0, 'EUR', now(), now())
           RETURNING id`,
          [`RAW${i}`, `raw-token-${i}`, editionId, `raw.${i}@example.org`],
        );
        await client.query(
          `INSERT INTO "Ticket" (id, "orderId", position, "editionId", "ticketTypeId", "firstName", "lastName", email,
             "priceCents", "updatedAt")
           SELECT gen_random_uuid(), $1, n, $2,
             (ARRAY[$3::uuid, $4::uuid])[CASE WHEN kinds[n] = 'student' THEN 2 ELSE 1 END],
             'Raw', 'Rush', 'raw.' || $5::text || '.' || n || '@example.org', 0, now()
           FROM (SELECT $6::text[] AS kinds) k, generate_series(1, array_length($6::text[], 1)) AS n`,
          [order.rows[0].id, editionId, typeIds.free, typeIds.student, i, group],
        );
        const { rows } = await client.query(`SELECT capacity FROM "Edition" WHERE id = $1 FOR NO KEY UPDATE`, [
          editionId,
        ]);
        const taken = await client.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE t."ticketTypeId" = $2)::int AS students
           FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
           WHERE t."editionId" = $1 AND t.status = 'ACTIVE'
             AND (o.status = 'CONFIRMED' OR (o.status = 'PENDING' AND o."holdExpiresAt" > now()))`,
          [editionId, typeIds.student],
        );
        const fits = taken.rows[0].n <= rows[0].capacity && (!GROUPS || taken.rows[0].students <= STUDENT_QUOTA);
        await client.query(fits ? "COMMIT" : "ROLLBACK");
        if (fits) {
          granted += 1;
          tickets += group.length;
        }
      } catch (error) {
        // The seat counters' trigger refuses tickets beyond capacity itself (SQLSTATE GS001).
        await client.query("ROLLBACK");
        if ((error as { code?: string }).code !== "GS001") throw error;
      } finally {
        client.release();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return { seconds, granted, tickets };
}

/** Orders granted in part: fewer tickets in the database than the request asked for (must be none). */
async function partialOrders(url: string, editionId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string; n: number }>(
      `SELECT o."buyerEmail" AS email, count(t.id)::int AS n FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
       WHERE o."editionId" = $1 GROUP BY o.id`,
      [editionId],
    );
    return rows.filter((row) => {
      const i = Number(/(\d+)@/.exec(row.email)?.[1]);
      return GROUPS ? row.n !== groupOf(i).length : row.n !== 1;
    }).length;
  } finally {
    await client.end();
  }
}

async function main() {
  const database = await startBenchDatabase({ logFile: process.env.BENCH_PG_LOG });
  const { url } = database;
  let app: ReturnType<typeof spawnNext> | undefined;
  try {
    const db = createPrismaClient(url, 2);
    const ticketTypes = [{ code: "free" }, { code: "student", quota: STUDENT_QUOTA }];
    const appEdition = await createEdition(db, { capacity: SEATS, ticketTypes });
    const rawEdition = await createEdition(db, { capacity: SEATS, ticketTypes });
    // A team buys up to MAX_GROUP tickets: the organiser's per-order limit lets it.
    await db.edition.updateMany({ data: { maxTicketsPerOrder: Math.max(10, MAX_GROUP) } });

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

    const shape = GROUPS ? `group orders of ${MIN_GROUP} to ${MAX_GROUP} tickets` : "registrations";
    console.log(`Firing ${REQUESTS} concurrent ${shape} at a ${SEATS}-seat edition through the HTTP API…`);
    const rush = await rushThroughApp(baseUrl, appEdition.slug);
    const usage = await getSeatUsage(db, appEdition.id, new Date());
    const granted = rush.statuses.get(201) ?? 0;
    const taken = usage.confirmed + usage.held;

    console.log(
      `Firing the same seat-taking transaction ${REQUESTS} times straight at Postgres (pool of ${RAW_POOL})…`,
    );
    const typeId = (code: string) => rawEdition.ticketTypes.find((type) => type.code === code)!.id;
    const raw = await rushRawPostgres(url, rawEdition.id, { free: typeId("free"), student: typeId("student") });
    const partial = await partialOrders(url, appEdition.id);
    const studentId = appEdition.ticketTypes.find((type) => type.code === "student")!.id;
    const students = usage.byTicketType.get(studentId);
    const studentsTaken = (students?.confirmed ?? 0) + (students?.held ?? 0);
    await db.$disconnect();

    const appRate = REQUESTS / rush.seconds;
    const rawRate = REQUESTS / raw.seconds;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log("");
    console.log(
      `requests:            ${REQUESTS} (${[...rush.statuses].map(([status, n]) => `${n} × ${status}`).join(", ")})`,
    );
    console.log(`orders granted:      ${granted} (seats taken in the database: ${taken} of ${SEATS})`);
    console.log(
      `oversold:            ${Math.max(0, taken - SEATS)} ` +
        `(student quota: ${Math.max(0, studentsTaken - STUDENT_QUOTA)})`,
    );
    console.log(`orders granted in part: ${partial}`);
    console.log(`app throughput:      ${appRate.toFixed(0)} requests/s (${rush.seconds.toFixed(2)} s for all)`);
    console.log(
      `                     ${(granted / rush.seconds).toFixed(0)} orders/s, ` +
        `${(taken / rush.seconds).toFixed(0)} tickets/s granted`,
    );
    console.log(
      `app latency:         p50 ${ms(percentile(rush.latencies, 50))}, ` +
        `p95 ${ms(percentile(rush.latencies, 95))}, p99 ${ms(percentile(rush.latencies, 99))}`,
    );
    console.log(
      `raw Postgres:        ${rawRate.toFixed(0)} transactions/s ` +
        `(${raw.granted} orders, ${raw.tickets} tickets granted, ${raw.seconds.toFixed(2)} s)`,
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
