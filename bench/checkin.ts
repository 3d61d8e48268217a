// npm run bench:checkin — the morning queue at the door, measured (not a test: it prints numbers).
// Seeds CHECKIN_TICKETS (3,000) confirmed tickets, starts the built app, and has CHECKIN_DEVICES (10)
// simulated phones scan them through POST /api/v1/checkin with a device token, each phone one scan
// at a time as a person would. Every ticket is scanned twice, by two different phones, at about
// the same moment (the worst case at a crowded door). Prints throughput, server latency
// percentiles, and checks in the database that each ticket was admitted exactly once.
import { randomUUID } from "node:crypto";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { createPrismaClient } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { generateTicketSigningKey, signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { buildIfStale, spawnNext } from "@/scripts/next-build";
import { BENCH_ABUSE_SETTINGS, percentile, seedAttendees, startBenchDatabase, waitFor } from "./support";

const TICKETS = Number(process.env.CHECKIN_TICKETS ?? 3000);
const DEVICES = Number(process.env.CHECKIN_DEVICES ?? 10);

async function main() {
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 4);
  let app: ReturnType<typeof spawnNext> | undefined;
  try {
    const signingKey = generateTicketSigningKey();
    const { privateKey } = ticketKeysFrom(signingKey);
    const edition = await createEdition(db, { capacity: TICKETS });
    await seedAttendees(database.url, edition.id, edition.ticketTypes[0].id, TICKETS, "C");
    const tickets = await db.ticket.findMany({
      where: { editionId: edition.id },
      select: { id: true, codeVersion: true },
    });
    const codes = tickets.map((ticket) =>
      signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion }, privateKey),
    );
    const organiser = await upsertUser(db, { email: "door@example.org", role: "ORGANISER" });
    const token = await createApiToken(db, organiser, { name: "bench", scope: "CHECKIN", editionId: edition.id });
    if (!token.ok || !token.token) throw new Error("could not create a device token");

    buildIfStale();
    const port = await findFreePort();
    app = spawnNext("start", port, {
      ...process.env,
      ...BENCH_ABUSE_SETTINGS,
      DATABASE_URL: database.url,
      APP_URL: `http://localhost:${port}`,
      TICKET_SIGNING_KEY: signingKey,
    });
    const baseUrl = `http://localhost:${port}`;
    await waitFor(`${baseUrl}/api/v1/editions/${edition.slug}`, 30_000);
    const headers = { "content-type": "application/json", Authorization: `Bearer ${token.token}` };
    const post = (code: string, deviceId: string) =>
      fetch(`${baseUrl}/api/v1/checkin`, {
        method: "POST",
        headers,
        body: JSON.stringify({ edition: edition.slug, code, nonce: randomUUID(), deviceId }),
      });
    await post("warm-up", "warm-up");

    // Phone d scans the tickets d, d + DEVICES, …; its neighbour scans the same ones half a beat later.
    const queues = Array.from({ length: DEVICES }, (_, device) => {
      const mine = codes.filter((_, i) => i % DEVICES === device);
      const neighbours = codes.filter((_, i) => i % DEVICES === (device + DEVICES - 1) % DEVICES);
      return mine.flatMap((code, i) => [code, neighbours[i]].filter(Boolean));
    });
    const latencies: number[] = [];
    const results = new Map<string, number>();
    console.log(`${DEVICES} devices scanning ${TICKETS} tickets twice each (${queues.flat().length} scans)…`);
    const started = performance.now();
    await Promise.all(
      queues.map(async (queue, device) => {
        for (const code of queue) {
          const t0 = performance.now();
          const response = await post(code, `device-${device}`);
          const text = await response.text();
          latencies.push(performance.now() - t0);
          const key = response.ok
            ? ((JSON.parse(text) as { result: string }).result ?? "?")
            : `HTTP ${response.status}`;
          results.set(key, (results.get(key) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    const [admittedScans, checkedIn, twice] = await Promise.all([
      db.checkInScan.count({ where: { editionId: edition.id, result: "ADMITTED" } }),
      db.ticket.count({ where: { editionId: edition.id, checkedInAt: { not: null } } }),
      db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM (
          SELECT "ticketId" FROM "CheckInScan"
          WHERE result = 'ADMITTED' AND "editionId" = ${edition.id}::uuid
          GROUP BY "ticketId" HAVING count(*) > 1
        ) twice`,
    ]);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log("");
    console.log(
      `scans:              ${latencies.length} (${[...results].map(([result, n]) => `${n} ${result}`).join(", ")})`,
    );
    console.log(
      `throughput:         ${(latencies.length / seconds).toFixed(0)} scans/s (${seconds.toFixed(1)} s for all)`,
    );
    console.log(
      `latency:            p50 ${ms(percentile(latencies, 50))}, ` +
        `p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}`,
    );
    console.log(
      `tickets checked in: ${checkedIn} of ${TICKETS}; admitted scans ${admittedScans}; ` +
        `tickets admitted more than once: ${Number(twice[0].n)}`,
    );
    console.log(
      checkedIn === TICKETS && admittedScans === TICKETS && Number(twice[0].n) === 0
        ? "each ticket admitted exactly once: yes"
        : "each ticket admitted exactly once: NO",
    );
  } finally {
    app?.kill("SIGTERM");
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
