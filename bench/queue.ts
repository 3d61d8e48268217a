// npm run bench:queue — a sales opening behind the waiting room, measured open-loop (it prints numbers; it is not a
// test). 5,000 buyers arrive at times fixed in advance, spread evenly over 10 s, for 300 seats. Each POSTs its
// registration, is given a place (202), comes back with it after retryAfterMs, and so on until it gets a seat (201)
// or hears the edition is sold out (409). Latency is counted from when each request was due (its arrival, or the
// time the server said to come back), so a slow server cannot hide behind a slow client.
// QUEUE_ARRIVALS, QUEUE_SECONDS, QUEUE_RATE (buyers let through per second), RUSH_GROUPS=1-10 (group orders).
import http from "node:http";
import { randomBytes } from "node:crypto";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { createEdition } from "@/devtools/testing/fixtures";
import { getSeatUsage, seatsTaken } from "@/lib/capacity/seats";
import { createPrismaClient } from "@/lib/db/prisma";
import { configureQueue } from "@/lib/editions/queue-settings";
import { buildIfStale, spawnNext } from "@/scripts/next-build";
import { percentile } from "./load/stats";
import { BENCH_ABUSE_SETTINGS, startBenchDatabase, waitFor } from "./support";

const SEATS = 300;
const ARRIVALS = Number(process.env.QUEUE_ARRIVALS ?? 5000);
const SECONDS = Number(process.env.QUEUE_SECONDS ?? 10);
const RATE = Number(process.env.QUEUE_RATE ?? 50);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CLIENT_TIMEOUT_MS = 5_000;
const FAIRNESS_TOLERANCE_MS = 1_000;
const [MIN_GROUP, MAX_GROUP = MIN_GROUP] = (process.env.RUSH_GROUPS ?? "1").split("-").map(Number);

const sizeOf = (i: number) => (MAX_GROUP > MIN_GROUP ? MIN_GROUP + ((i * 7) % (MAX_GROUP - MIN_GROUP + 1)) : MIN_GROUP);

function bodyOf(i: number) {
  const attendee = (j: number) => ({
    firstName: "Queue",
    lastName: `N${i}-${j}`,
    email: `queue.${i}.${j}@example.org`,
  });
  if (sizeOf(i) === 1) return { ticketType: "free", attendee: attendee(0) };
  const buyer = { firstName: "Buyer", lastName: `N${i}`, email: `buyer.${i}@example.org` };
  return {
    buyer,
    tickets: Array.from({ length: sizeOf(i) }, (_, j) => ({ ticketType: "free", attendee: attendee(j) })),
  };
}

type Answer = { status: number | "error" | "timeout"; body: { queueTicket?: string; retryAfterMs?: number } };

// Keep-alive connections, as real clients behind a few proxies: a run measures the app, not TCP set-up.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(url: URL, body: unknown, ticket?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (ticket) headers["guichet-queue-ticket"] = ticket;
    const request = http.request(url, { method: "POST", agent, headers, timeout: CLIENT_TIMEOUT_MS }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => {
        let parsed = {};
        try {
          parsed = JSON.parse(text);
        } catch {
          // an error page: the status says enough
        }
        resolve({ status: response.statusCode ?? "error", body: parsed });
      });
    });
    request.on("timeout", () => {
      request.destroy();
      resolve({ status: "timeout", body: {} });
    });
    request.on("error", () => resolve({ status: "error", body: {} }));
    request.end(payload);
  });
}

type Buyer = {
  index: number;
  arrivalMs: number;
  outcome: number | "error" | "timeout";
  answeredMs: number;
  requests: number;
};

async function main() {
  const database = await startBenchDatabase({ logFile: process.env.BENCH_PG_LOG });
  const { url } = database;
  let app: ReturnType<typeof spawnNext> | undefined;
  try {
    const db = createPrismaClient(url, 2);
    const edition = await createEdition(db, { capacity: SEATS });
    await db.edition.update({ where: { id: edition.id }, data: { maxTicketsPerOrder: Math.max(10, MAX_GROUP) } });
    await db.$transaction((tx) =>
      configureQueue(tx, edition.id, { enabled: true, opensAt: null, admitPerSecond: RATE }),
    );

    buildIfStale();
    const port = await findFreePort();
    app = spawnNext("start", port, {
      ...process.env,
      ...BENCH_ABUSE_SETTINGS,
      QUEUE_HMAC_KEY: randomBytes(32).toString("base64url"),
      DATABASE_URL: url,
      APP_URL: `http://localhost:${port}`,
    });
    const baseUrl = `http://localhost:${port}`;
    await waitFor(`${baseUrl}/api/v1/editions/${edition.slug}`, 30_000);
    const target = new URL(`${baseUrl}/api/v1/editions/${edition.slug}/registrations`);

    console.log(
      `${ARRIVALS} buyers arriving over ${SECONDS} s for ${SEATS} seats, let through at ${RATE}/s` +
        (MAX_GROUP > 1 ? `, group orders of ${MIN_GROUP} to ${MAX_GROUP}` : "") +
        ` (${CONNECTIONS} keep-alive connections)…`,
    );
    const latencies: number[] = [];
    const statuses = new Map<string, number>();
    const start = performance.now() + 500;
    const buyers: Buyer[] = await Promise.all(
      Array.from({ length: ARRIVALS }, async (_, i): Promise<Buyer> => {
        const arrivalMs = (i * SECONDS * 1000) / ARRIVALS;
        let due = start + arrivalMs;
        let ticket: string | undefined;
        for (let requests = 1; ; requests++) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          const answer = await post(target, bodyOf(i), ticket);
          const now = performance.now();
          latencies.push(now - due);
          statuses.set(String(answer.status), (statuses.get(String(answer.status)) ?? 0) + 1);
          if (answer.status !== 202)
            return { index: i, arrivalMs, outcome: answer.status, answeredMs: now - start, requests };
          ticket = answer.body.queueTicket;
          due = now + (answer.body.retryAfterMs ?? 1000);
        }
      }),
    );
    agent.destroy();

    const taken = seatsTaken(await getSeatUsage(db, edition.id));
    await db.$disconnect();
    const granted = buyers.filter((buyer) => buyer.outcome === 201);
    const soldOut = buyers.filter((buyer) => buyer.outcome === 409);
    const failed = buyers.filter((buyer) => buyer.outcome !== 201 && buyer.outcome !== 409);
    // A buyer told "sold out" while one who arrived more than a second later, for as many seats, got in.
    const unfair = soldOut.filter((a) =>
      granted.some((b) => b.arrivalMs > a.arrivalMs + FAIRNESS_TOLERANCE_MS && sizeOf(b.index) >= sizeOf(a.index)),
    ).length;
    latencies.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const lastAnswer = Math.max(...buyers.map((buyer) => buyer.answeredMs));
    console.log("");
    console.log(`requests:        ${latencies.length} (${[...statuses].map(([s, n]) => `${n} × ${s}`).join(", ")})`);
    console.log(
      `buyers:          ${granted.length} granted, ${soldOut.length} sold out, ${failed.length} errors or timeouts`,
    );
    console.log(`seats taken:     ${taken} of ${SEATS}; oversold: ${Math.max(0, taken - SEATS)}`);
    console.log(
      `latency:         p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, ` +
        `p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? 0)} ` +
        "(from when each request was due; target: max < 1 s)",
    );
    console.log(`unfair grants:   ${unfair} (sold-out buyers overtaken by one arriving over 1 s later; target: 0)`);
    console.log(`everyone answered after ${(lastAnswer / 1000).toFixed(1)} s`);
  } finally {
    app?.kill("SIGTERM");
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
