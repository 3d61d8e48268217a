// npm run bench:instances — two app instances on one Postgres, measured (not a test: it prints numbers).
// Starts two `next start` on the same database and sends the rush mix and the all-granted workload of
// bench:rush (RUSH_REQUESTS, RUSH_GROUPS) from 50 keep-alive connections, first all to one instance, then
// split 25/25 across both, interleaved over BENCH_REPS. BENCH_PIN=1 pins the instances to cores 0 and 1
// (Postgres and this client stay free to move). The point is the seats: 0 oversold with two instances
// taking them at once; on 2 cores shared with Postgres and the client, little throughput gain is expected.
import { createPrismaClient } from "@/lib/db/prisma";
import { runClosedLoop } from "./load/closed-loop";
import { BENCH_CONNECTIONS, createHttpClient } from "./load/http-client";
import { describeCpu, describeLatency, describeOutcomes, measureCpu, median, rate, spread } from "./load/stats";
import {
  checkRun,
  groupShape,
  prepareRun,
  REQUESTS,
  requestBody,
  WARM_UP_REQUESTS,
  type Workload,
} from "./registrations";
import { benchPool, startApp, startBenchDatabase } from "./support";

const REPS = Number(process.env.BENCH_REPS ?? 2);
const PIN = process.env.BENCH_PIN === "1";
const WORKLOADS: Workload[] = ["mix", "granted"];

async function main() {
  const database = await startBenchDatabase();
  const { url } = database;
  const admin = benchPool(url, 2);
  const db = createPrismaClient(url, 2);
  const apps: Awaited<ReturnType<typeof startApp>>[] = [];
  try {
    const warmUp = await prepareRun(admin, url, db, "granted", 0);
    for (const cpu of [0, 1])
      apps.push(await startApp({ DATABASE_URL: url }, `/api/v1/editions/${warmUp.edition.slug}`, PIN ? { cpu } : {}));
    const alone = [createHttpClient(apps[0].baseUrl, BENCH_CONNECTIONS)];
    const split = apps.map((app) => createHttpClient(app.baseUrl, BENCH_CONNECTIONS / 2));
    const register = (clients: typeof alone, slug: string) => async (i: number, worker: number) =>
      (await clients[worker % clients.length].post(`/api/v1/editions/${slug}/registrations`, requestBody(i))).outcome;
    await runClosedLoop(WARM_UP_REQUESTS, BENCH_CONNECTIONS, register(split, warmUp.edition.slug));

    console.log(
      `${REQUESTS} requests per run (${groupShape()}), closed loop, ${BENCH_CONNECTIONS} keep-alive connections ` +
        `to 1 instance or split across 2${PIN ? " (pinned to cores 0 and 1)" : ""}, ${REPS} reps`,
    );
    const rates = new Map<string, number[]>();
    let worstOversold = 0;
    let worstPartial = 0;
    for (let rep = 1; rep <= REPS; rep++) {
      for (const workload of WORKLOADS) {
        for (const instances of rep % 2 ? [1, 2] : [2, 1]) {
          const run = await prepareRun(admin, url, db, workload, 0);
          const stop = measureCpu({
            next: apps.slice(0, instances).map((app) => app.pid),
            postgres: database.postmasterPid,
          });
          const sample = await runClosedLoop(
            REQUESTS,
            BENCH_CONNECTIONS,
            register(instances === 1 ? alone : split, run.edition.slug),
          );
          const cpu = stop();
          const check = await checkRun(admin, run);
          worstOversold = Math.max(worstOversold, check.oversold + check.quotaOversold + check.codesOversold);
          worstPartial = Math.max(worstPartial, check.partial);
          const key = `${workload} ${instances}`;
          rates.set(key, [...(rates.get(key) ?? []), rate(sample)]);
          console.log(
            `rep ${rep} ${workload.padEnd(8)} ${instances} instance${instances > 1 ? "s" : " "}: ` +
              `${rate(sample).toFixed(0)} req/s; ${describeLatency(sample)}; ${describeOutcomes(sample)}; ` +
              `${describeCpu(cpu, sample.latencies.length)}; seats ${check.taken}/${run.capacity}; ` +
              `oversold ${check.oversold} (quota ${check.quotaOversold}); orders granted in part ${check.partial}; ` +
              `counter drift ${check.drift}`,
          );
        }
      }
    }
    [...alone, ...split].forEach((client) => client.close());
    console.log("");
    console.log("summary (median (min–max) of the reps):");
    for (const workload of WORKLOADS) {
      const one = rates.get(`${workload} 1`)!;
      const two = rates.get(`${workload} 2`)!;
      console.log(
        `${workload.padEnd(8)} 1 instance ${spread(one)} req/s, 2 instances ${spread(two)} req/s, ` +
          `2/1 ${(median(two) / median(one)).toFixed(2)}`,
      );
    }
    console.log(`oversold: ${worstOversold}; orders granted in part: ${worstPartial}`);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await db.$disconnect();
    await admin.end();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
