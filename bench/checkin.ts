// npm run bench:checkin — the door, measured (not a test: it prints numbers).
// Starts the built app and scans signed ticket codes through POST /api/v1/checkin with a device
// token, from a keep-alive client, in two phases repeated BENCH_REPS times, each on a fresh edition:
// - steady: an open loop at CHECKIN_RATE scans/s (50) for CHECKIN_SECONDS (20), each ticket once: the
//   latency a person at the door sees when the app is not saturated;
// - crowd: CHECKIN_DEVICES phones (10), each scanning as fast as it gets answers, every one of
//   CHECKIN_TICKETS tickets (3,000) scanned twice by two phones at about the same moment (the worst
//   case at a crowded door): throughput, and in the database, that no ticket was admitted twice.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { generateTicketSigningKey, signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { runClosedLoop } from "./load/closed-loop";
import { createHttpClient, type HttpClient } from "./load/http-client";
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
  type CpuRoles,
  type Sample,
} from "./load/stats";
import { benchPool, seedAttendees, startApp, startBenchDatabase } from "./support";

const TICKETS = Number(process.env.CHECKIN_TICKETS ?? 3000);
const DEVICES = Number(process.env.CHECKIN_DEVICES ?? 10);
const RATE = Number(process.env.CHECKIN_RATE ?? 50);
const SECONDS = Number(process.env.CHECKIN_SECONDS ?? 20);
const REPS = Number(process.env.BENCH_REPS ?? 2);

const signingKey = generateTicketSigningKey();
const { privateKey } = ticketKeysFrom(signingKey);

/** A fresh edition with `count` confirmed tickets, their signed codes, and a door token for it. */
async function openDoor(url: string, db: Db, admin: pg.Pool, count: number) {
  // Scans and tickets of earlier phases would change the plans of the queries that read them.
  await admin.query(`TRUNCATE "Order", pgboss.job CASCADE`);
  const edition = await createEdition(db, { capacity: count });
  await seedAttendees(url, edition.id, edition.ticketTypes[0].id, count, "C");
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
  const headers = { Authorization: `Bearer ${token.token}` };
  return {
    edition,
    codes,
    scan: async (client: HttpClient, code: string, device: number) => {
      const body = { edition: edition.slug, code, nonce: randomUUID(), deviceId: `device-${device}` };
      const { outcome, text } = await client.post("/api/v1/checkin", body, headers);
      return outcome === 200 ? ((JSON.parse(text) as { result?: string }).result ?? "200 without result") : outcome;
    },
  };
}

async function admittedTwice(admin: pg.Pool, editionId: string) {
  const { rows } = await admin.query<{ checkedIn: number; admitted: number; twice: number }>(
    `SELECT (SELECT count(*)::int FROM "Ticket" WHERE "editionId" = $1 AND "checkedInAt" IS NOT NULL) AS "checkedIn",
            (SELECT count(*)::int FROM "CheckInScan" WHERE "editionId" = $1 AND result = 'ADMITTED') AS admitted,
            (SELECT count(*)::int FROM (
               SELECT "ticketId" FROM "CheckInScan" WHERE "editionId" = $1 AND result = 'ADMITTED'
               GROUP BY "ticketId" HAVING count(*) > 1) twice) AS twice`,
    [editionId],
  );
  return rows[0];
}

async function main() {
  const database = await startBenchDatabase();
  const { url } = database;
  const admin = benchPool(url, 2);
  const db = createPrismaClient(url, 2);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const steadyScans = Math.round(RATE * SECONDS);
    // Each warm-up ticket scanned twice (admitted, then already in), so that V8 has optimised both answers' code
    // before any run, as on a server up a while.
    const warmUp = await openDoor(url, db, admin, 1000);
    app = await startApp(
      { DATABASE_URL: url, TICKET_SIGNING_KEY: signingKey },
      `/api/v1/editions/${warmUp.edition.slug}`,
    );
    const client = createHttpClient(app.baseUrl, DEVICES);
    const warmUpCodes = [...warmUp.codes, ...warmUp.codes];
    await runClosedLoop(warmUpCodes.length, DEVICES, (i, device) => warmUp.scan(client, warmUpCodes[i], device));
    const roles: CpuRoles = { next: [app.pid], postgres: database.postmasterPid };

    console.log(
      `steady: ${steadyScans} scans at ${RATE}/s (open loop); crowd: ${DEVICES} devices scanning ${TICKETS} ` +
        `tickets twice each (closed loop); ${REPS} reps`,
    );
    const steady: Sample[] = [];
    const crowd: Sample[] = [];
    let worstTwice = 0;
    for (let rep = 1; rep <= REPS; rep++) {
      const door = await openDoor(url, db, admin, steadyScans);
      let stop = measureCpu(roles);
      const steadyRun = await runOpenLoop(steadyScans, RATE, (i) => door.scan(client, door.codes[i], i % DEVICES));
      steady.push(steadyRun);
      console.log(
        `rep ${rep} steady: ${describeLatency(steadyRun)}; ${describeOutcomes(steadyRun)}; ` +
          `${describeCpu(stop(), steadyScans)}; client late by up to ${steadyRun.maxLateDispatchMs.toFixed(0)} ms`,
      );

      const crowded = await openDoor(url, db, admin, TICKETS);
      // Ticket k is scans 2k and 2k + 1: two devices take them one after the other, at about the same moment.
      const scans = crowded.codes.flatMap((code) => [code, code]);
      stop = measureCpu(roles);
      const crowdRun = await runClosedLoop(scans.length, DEVICES, (i, device) =>
        crowded.scan(client, scans[i], device),
      );
      const cpu = stop();
      crowd.push(crowdRun);
      const check = await admittedTwice(admin, crowded.edition.id);
      worstTwice = Math.max(worstTwice, check.twice);
      console.log(
        `rep ${rep} crowd: ${rate(crowdRun).toFixed(0)} scans/s; ${describeLatency(crowdRun)}; ` +
          `${describeOutcomes(crowdRun)}; ${describeCpu(cpu, scans.length)}; tickets checked in ` +
          `${check.checkedIn}/${TICKETS}, admitted scans ${check.admitted}, admitted twice ${check.twice}`,
      );
    }
    client.close();
    console.log("");
    console.log("summary (median (min–max) of the reps):");
    // Issue 15's targets (2 cores) are printed beside the numbers.
    const steadyP95 = spread(
      steady.map((s) => percentile(s.latencies, 95)),
      1,
    );
    console.log(`steady ${RATE} scans/s: p95 ${steadyP95} ms (target < 10 ms at 50 scans/s)`);
    console.log(
      `crowd of ${DEVICES} devices: ${spread(crowd.map(rate))} scans/s (target ≥ 500 from 10 devices), ` +
        `p95 ${median(crowd.map((s) => percentile(s.latencies, 95))).toFixed(0)} ms, ` +
        `admitted twice: ${worstTwice} (target 0)`,
    );
  } finally {
    await app?.stop();
    await db.$disconnect();
    await admin.end();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
