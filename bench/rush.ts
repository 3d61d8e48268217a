// npm run bench:rush — the opening-minute rush, measured (not a test: it prints numbers).
// Starts the built app on an embedded Postgres and sends RUSH_REQUESTS registrations through the HTTP
// API from a keep-alive client, for each workload (rush mix, all granted, sold out only) and number of
// seats already sold; interleaved with those runs, the same registrations go straight to Postgres
// (bench/raw-claim.ts), the ceiling the app is working against. Every run starts from an empty
// "Order" table and a fresh edition, and ends with the oversold and part-granted counts.
// Knobs and how to read the output: README, "Benchmark".
import { createPrismaClient } from "@/lib/db/prisma";
import { runClosedLoop } from "./load/closed-loop";
import { BENCH_CONNECTIONS, createHttpClient } from "./load/http-client";
import { runOpenLoop } from "./load/open-loop";
import {
  describeCpu,
  describeLatency,
  describeOutcomes,
  measureCpu,
  median,
  percentile,
  rate,
  spread,
  type CpuUse,
  type Sample,
  type Task,
} from "./load/stats";
import { registerRaw } from "./raw-claim";
import {
  checkRun,
  CODES,
  groupShape,
  prepareRun,
  REQUESTS,
  requestBody,
  WARM_UP_REQUESTS,
  WORKLOADS,
  type RunCheck,
  type Workload,
} from "./registrations";
import { benchPool, startApp, startBenchDatabase } from "./support";

const MODE = process.env.RUSH_MODE ?? "closed";
if (MODE !== "closed" && MODE !== "open") throw new Error(`RUSH_MODE must be closed or open, not ${MODE}`);
const RATE = Number(process.env.RUSH_RATE ?? 500);
const REPS = Number(process.env.BENCH_REPS ?? 2);
const PRESOLD = (process.env.RUSH_PRESOLD ?? "0").split(",").map(Number);
const CHOSEN = (process.env.RUSH_WORKLOADS ?? WORKLOADS.join(",")).split(",") as Workload[];
for (const workload of CHOSEN)
  if (!WORKLOADS.includes(workload)) throw new Error(`RUSH_WORKLOADS: ${workload} is not one of ${WORKLOADS}`);
// The raw loop's pool since the first bench:rush, and the review's reference loop (pgloop): kept so ratios compare.
const RAW_POOL = 20;

// Issue 15's targets (2 cores, closed loop, no seats sold), printed beside the numbers they apply to.
const TARGET = { mix: "app/raw ≥ 0.65", granted: "app/raw ≥ 0.9", soldout: "≥ 800 answers/s", flat: "≥ 0.9" };

type Side = "app" | "raw";
type Measurement = { workload: Workload; presold: number; side: Side; sample: Sample; cpu: CpuUse; check: RunCheck };

function drive(task: Task, workers: number): Promise<Sample> {
  return MODE === "open" ? runOpenLoop(REQUESTS, RATE, task) : runClosedLoop(REQUESTS, workers, task);
}

async function main() {
  const database = await startBenchDatabase({ logFile: process.env.BENCH_PG_LOG });
  const { url } = database;
  const admin = benchPool(url, 2);
  const rawPool = benchPool(url, RAW_POOL);
  const db = createPrismaClient(url, 2);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const warmUp = await prepareRun(admin, url, db, "granted", 0);
    app = await startApp({ DATABASE_URL: url }, `/api/v1/editions/${warmUp.edition.slug}`);
    const client = createHttpClient(app.baseUrl);
    const register = (slug: string) => async (i: number) =>
      (await client.post(`/api/v1/editions/${slug}/registrations`, requestBody(i))).outcome;
    // The route's code loads on its first request and the pools open as they fill: not part of any run.
    await runClosedLoop(WARM_UP_REQUESTS, BENCH_CONNECTIONS, register(warmUp.edition.slug));

    const load =
      MODE === "open"
        ? `open loop, ${RATE} arrivals/s, ${BENCH_CONNECTIONS} keep-alive connections`
        : `closed loop, ${BENCH_CONNECTIONS} keep-alive connections (raw: ${RAW_POOL} workers, a pool of ${RAW_POOL})`;
    console.log(`${REQUESTS} requests per run (${groupShape()}), ${load}, ${REPS} reps, presold ${PRESOLD.join(", ")}`);
    const results: Measurement[] = [];
    for (let rep = 1; rep <= REPS; rep++) {
      for (const presold of PRESOLD) {
        for (const workload of CHOSEN) {
          // Sold-out answers need no claim: there is no raw counterpart to compare them with.
          // Nor do codes: the raw reference claims general seats only.
          const sides: Side[] = workload === "soldout" || CODES ? ["app"] : rep % 2 ? ["app", "raw"] : ["raw", "app"];
          for (const side of sides) {
            const run = await prepareRun(admin, url, db, workload, presold);
            const stop = measureCpu({ next: [app.pid], postgres: database.postmasterPid });
            const sample =
              side === "app"
                ? await drive(register(run.edition.slug), BENCH_CONNECTIONS)
                : await drive(
                    (i) => registerRaw(rawPool, { editionId: run.edition.id, typeIds: run.typeIds }, i),
                    RAW_POOL,
                  );
            const cpu = stop();
            const check = await checkRun(admin, run);
            results.push({ workload, presold, side, sample, cpu, check });
            const orders = sample.outcomes.get(side === "app" ? 201 : "granted") ?? 0;
            // The raw loop has no Next server: its client is the pg pool in this process.
            const roles: (keyof CpuUse)[] | undefined = side === "app" ? undefined : ["postgres", "client"];
            console.log(
              `rep ${rep} ${workload.padEnd(8)} presold ${String(presold).padEnd(6)} ${side}: ` +
                `${rate(sample).toFixed(0)}/s; ${describeLatency(sample)}; ${describeOutcomes(sample)}; ` +
                `${describeCpu(cpu, sample.latencies.length, roles)}; ` +
                `granted ${orders} orders, ${check.taken - run.seeded} tickets; ` +
                `seats ${check.taken}/${run.capacity}; ` +
                `oversold ${check.oversold} (quota ${check.quotaOversold}); orders granted in part ${check.partial}; ` +
                `counter drift ${check.drift}` +
                (CODES ? `; ${check.codes}, oversold with codes ${check.codesOversold}` : "") +
                (MODE === "open" ? `; client late by up to ${sample.maxLateDispatchMs.toFixed(0)} ms` : ""),
            );
          }
        }
      }
    }
    client.close();
    printSummary(results);
  } finally {
    await app?.stop();
    await db.$disconnect();
    await rawPool.end();
    await admin.end();
    await database.stop();
  }
}

function printSummary(results: Measurement[]) {
  const of = (workload: Workload, presold: number, side: Side) =>
    results.filter((r) => r.workload === workload && r.presold === presold && r.side === side);
  const rates = (runs: Measurement[]) => runs.map((run) => rate(run.sample));
  console.log("");
  console.log(`summary (${MODE} loop; rates are median (min–max) of the reps; ratios are of the medians):`);
  for (const presold of PRESOLD) {
    for (const workload of CHOSEN) {
      const app = of(workload, presold, "app");
      const raw = of(workload, presold, "raw");
      const p95 = median(app.map((run) => percentile(run.sample.latencies, 95)));
      const oversold = Math.max(
        ...[...app, ...raw].map((run) => run.check.oversold + run.check.quotaOversold + run.check.codesOversold),
      );
      const partial = Math.max(...[...app, ...raw].map((run) => run.check.partial));
      const drift = Math.max(...[...app, ...raw].map((run) => Math.abs(run.check.drift)));
      const unit = workload === "soldout" ? "answers/s" : "req/s";
      const versus = raw.length
        ? `  raw ${spread(rates(raw))} tx/s  app/raw ${(median(rates(app)) / median(rates(raw))).toFixed(2)}`
        : "";
      const target = presold === 0 ? ` (target ${TARGET[workload]})` : "";
      console.log(
        `${workload.padEnd(8)} presold ${String(presold).padEnd(6)} app ${spread(rates(app))} ${unit}, ` +
          `p95 ${p95.toFixed(0)} ms${versus}${target}  oversold ${oversold}  orders granted in part ${partial}  ` +
          `counter drift ${drift}`,
      );
    }
  }
  // Claim cost against seats already sold: each rate against the one at the smallest non-zero presold.
  const base = Math.min(...PRESOLD.filter((presold) => presold > 0));
  for (const workload of CHOSEN.filter((w) => w !== "soldout")) {
    for (const presold of PRESOLD.filter((p) => p > base)) {
      const ratio = (side: Side) =>
        (median(rates(of(workload, presold, side))) / median(rates(of(workload, base, side)))).toFixed(2);
      console.log(
        `${workload.padEnd(8)} rate(${presold})/rate(${base}): app ${ratio("app")} (target ${TARGET.flat}), ` +
          `raw ${ratio("raw")}`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
