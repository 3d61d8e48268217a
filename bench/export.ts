// npm run bench:export — the attendee export, measured (not a test: it prints numbers).
// Seeds three editions of EXPORT_ATTENDEES (100,000), a tenth and a hundredth as many attendees into an embedded
// Postgres, then exports each as CSV and XLSX twice: in this process, sampling memory while the stream is read,
// and through the built app's API (the route organisers and scripts use), sampling the server's resident memory.
// Linear time shows as ratios near 10 between sizes; flat memory as about the same growth at every size.
import { readFileSync } from "node:fs";
import { parseAttendeeFilter } from "@/lib/attendees/query";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { exportAttendees } from "@/lib/exports/attendee-export";
import { createEdition } from "@/devtools/testing/fixtures";
import { buildIfStale, spawnNext } from "@/scripts/next-build";
import { BENCH_ABUSE_SETTINGS, seedAttendees, startBenchDatabase, waitFor } from "./support";

const ATTENDEES = Number(process.env.EXPORT_ATTENDEES ?? 100_000);
const SIZES = [Math.ceil(ATTENDEES / 100), Math.ceil(ATTENDEES / 10), ATTENDEES];
const MB = 1024 * 1024;
// Both measurements export the same columns, so their numbers compare.
const COLUMN_IDS = [
  "reference",
  "firstName",
  "lastName",
  "email",
  "company",
  "ticketType",
  "answer:tshirt",
  "answer:note",
];

/** Reads a stream to the end, counting bytes, while sampling this process's memory every 10 ms. */
async function drainInProcess(body: ReadableStream<Uint8Array>) {
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 10);
  let bytes = 0;
  const started = performance.now();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  clearInterval(sampler);
  return {
    seconds: (performance.now() - started) / 1000,
    bytes,
    rssGrowthMb: (peakRss - before.rss) / MB,
    peakHeapMb: peakHeap / MB,
  };
}

/** The columns every result row shares: format, rows, time and bytes out. */
function measuredColumns(format: string, count: number, result: { seconds: number; bytes: number }) {
  return (
    `${format.padEnd(5)} ${String(count).padStart(6)} rows  ${result.seconds.toFixed(2).padStart(6)} s  ` +
    `${(result.bytes / MB).toFixed(2).padStart(6)} MB out  `
  );
}

function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function throughApp(baseUrl: string, pid: number, slug: string, token: string, format: "csv" | "xlsx") {
  const before = residentMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, residentMb(pid))), 10);
  const started = performance.now();
  const response = await fetch(
    `${baseUrl}/api/v1/editions/${slug}/attendees?format=${format}&` +
      COLUMN_IDS.map((id) => `columns=${id}`).join("&"),
    {
      headers: { Authorization: `Bearer ${token}` },
    },
  );
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  clearInterval(sampler);
  return { status: response.status, seconds: (performance.now() - started) / 1000, bytes, before, peak };
}

async function exportEdition(db: Db, slug: string, format: "csv" | "xlsx") {
  const edition = await db.edition.findUniqueOrThrow({ where: { slug }, include: { questions: true } });
  return drainInProcess(
    exportAttendees(db, { edition, filter: parseAttendeeFilter({}), columnIds: COLUMN_IDS, format, locale: "fr" }).body,
  );
}

async function main() {
  const database = await startBenchDatabase();
  const { url } = database;
  let app: ReturnType<typeof spawnNext> | undefined;
  const db = createPrismaClient(url, 4);
  try {
    const questions = [
      { key: "tshirt", type: "SELECT" as const, options: [{ value: "m", labelFr: "M", labelEn: "M" }] },
      { key: "note", type: "TEXT" as const },
    ];
    const seedStarted = performance.now();
    const editions: (readonly [{ slug: string }, number])[] = [];
    for (const [i, count] of SIZES.entries()) {
      const edition = await createEdition(db, { capacity: count, questions });
      await seedAttendees(url, edition.id, edition.ticketTypes[0].id, count, `S${i}`);
      editions.push([edition, count]);
    }
    console.log(`Seeded ${SIZES.join(" + ")} attendees in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`);
    const seconds = new Map<string, number>();

    const rows: string[] = [];
    for (const format of ["csv", "xlsx"] as const) {
      for (const [edition, count] of editions) {
        global.gc?.();
        const result = await exportEdition(db, edition.slug, format);
        rows.push(
          `in process  ${measuredColumns(format, count, result)}` +
            `RSS +${result.rssGrowthMb.toFixed(1)} MB, peak heap ${result.peakHeapMb.toFixed(1)} MB`,
        );
      }
    }

    const organiser = await upsertUser(db, { email: "bench@example.org", role: "ORGANISER" });
    const created = await createApiToken(db, organiser, { name: "bench" });
    if (!created.ok || !created.token) throw new Error("could not create an API token");
    buildIfStale();
    const port = await findFreePort();
    app = spawnNext("start", port, {
      ...process.env,
      ...BENCH_ABUSE_SETTINGS,
      DATABASE_URL: url,
      APP_URL: `http://localhost:${port}`,
    });
    const baseUrl = `http://localhost:${port}`;
    await waitFor(`${baseUrl}/api/v1/editions/${editions[0][0].slug}`, 30_000);
    // Warm-up: the first request of a route pays for loading its code.
    for (const format of ["csv", "xlsx"] as const)
      await throughApp(baseUrl, app.pid!, editions[0][0].slug, created.token, format);
    for (const format of ["csv", "xlsx"] as const) {
      for (const [edition, count] of editions) {
        const result = await throughApp(baseUrl, app.pid!, edition.slug, created.token, format);
        seconds.set(`${format} ${count}`, result.seconds);
        rows.push(
          `through API ${measuredColumns(format, count, result)}` +
            `server RSS ${result.before.toFixed(0)} → peak ${result.peak.toFixed(0)} MB ` +
            `(+${(result.peak - result.before).toFixed(0)} MB; target < 50) (HTTP ${result.status})`,
        );
      }
    }
    console.log("");
    for (const row of rows) console.log(row);
    // Issue 22's targets, through the API: 100,000 rows in under 5 s (CSV) and 10 s (XLSX), at most 12 times
    // the 10,000-row time, the server's memory growing by less than 50 MB.
    for (const format of ["csv", "xlsx"] as const) {
      const [a, b, c] = SIZES.map((count) => seconds.get(`${format} ${count}`)!);
      console.log(
        `${format}: time ×${(b / a).toFixed(1)} from ${SIZES[0]} to ${SIZES[1]} rows, ` +
          `×${(c / b).toFixed(1)} from ${SIZES[1]} to ${SIZES[2]} (target ≤ 12); ` +
          `${SIZES[2]} rows in ${c.toFixed(2)} s (target < ${format === "csv" ? 5 : 10} s)`,
      );
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
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
