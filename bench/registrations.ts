// The registration workloads bench:rush and bench:instances share: who registers (one attendee or a
// team), what the edition looks like before the first request, and the checks every run ends with.
import pg from "pg";
import type { Db } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { seedAttendees } from "./support";

export const SEATS = 300;
export const REQUESTS = Number(process.env.RUSH_REQUESTS ?? 1000);
// Requests sent to a "granted" edition (seats for REQUESTS) before any run, so that both the granted and the
// sold-out paths are loaded and compiled by V8's optimising compiler, as on a server that has been up a while:
// with 100, the first run measured 0.6 of the later ones.
export const WARM_UP_REQUESTS = Number(process.env.BENCH_WARMUP ?? 2 * REQUESTS);
const [MIN_GROUP, MAX_GROUP = MIN_GROUP] = (process.env.RUSH_GROUPS ?? "1").split("-").map(Number);
export const GROUPS = MAX_GROUP > 1;
const STUDENT_QUOTA = 60;

/** Request i's group: a size spread evenly over the range, every fourth ticket a student one. */
export function groupOf(i: number): ("free" | "student")[] {
  const size = GROUPS ? MIN_GROUP + ((i * 7) % (MAX_GROUP - MIN_GROUP + 1)) : 1;
  return Array.from({ length: size }, (_, j) => (GROUPS && (i + j) % 4 === 0 ? "student" : "free"));
}

export function requestBody(i: number) {
  const attendee = (j: number) => ({ firstName: "Rush", lastName: `N${i}-${j}`, email: `rush.${i}.${j}@example.org` });
  if (!GROUPS) return { ticketType: "free", attendee: attendee(0) };
  const buyer = { firstName: "Buyer", lastName: `N${i}`, email: `buyer.${i}@example.org` };
  return { buyer, tickets: groupOf(i).map((ticketType, j) => ({ ticketType, attendee: attendee(j) })) };
}

export const groupShape = () => (GROUPS ? `groups of ${MIN_GROUP}-${MAX_GROUP} tickets` : "one ticket each");

/**
 * - mix: the opening rush, 300 seats left for REQUESTS requests (most answered "sold out");
 * - granted: room for every ticket asked, so each request takes its seats;
 * - soldout: the edition already full, so each request is answered "sold out".
 * `presold` confirmed attendees are seeded first, and the capacity raised by as many.
 */
export type Workload = "mix" | "granted" | "soldout";
export const WORKLOADS: Workload[] = ["mix", "granted", "soldout"];

export type PreparedRun = {
  edition: { id: string; slug: string };
  capacity: number;
  /** Confirmed attendees there before the first request. */
  seeded: number;
  studentQuota: number | null;
  typeIds: { free: string; student: string };
};

/**
 * Empties the orders (and queued jobs) of earlier runs and opens a fresh edition: the plan of a
 * count over orders, and so its speed, depends on how many other orders the table holds, so every
 * run starts from the same state.
 */
export async function prepareRun(admin: pg.Pool, url: string, db: Db, workload: Workload, presold: number) {
  await admin.query(`TRUNCATE "Order", pgboss.job CASCADE`);
  const ticketsAsked = Array.from({ length: REQUESTS }, (_, i) => groupOf(i).length).reduce((a, b) => a + b, 0);
  const capacity = presold + (workload === "granted" ? ticketsAsked : SEATS);
  const studentQuota = workload === "mix" ? STUDENT_QUOTA : null;
  const edition = await createEdition(db, {
    capacity,
    ticketTypes: [{ code: "free" }, { code: "student", quota: studentQuota ?? undefined }],
  });
  // A team buys up to MAX_GROUP tickets: the organiser's per-order limit lets it.
  await db.edition.update({ where: { id: edition.id }, data: { maxTicketsPerOrder: Math.max(10, MAX_GROUP) } });
  const typeId = (code: string) => edition.ticketTypes.find((type) => type.code === code)!.id;
  const typeIds = { free: typeId("free"), student: typeId("student") };
  const seeded = workload === "soldout" ? capacity : presold;
  if (seeded > 0) await seedAttendees(url, edition.id, typeIds.free, seeded, "S");
  return { edition, capacity, seeded, studentQuota, typeIds } satisfies PreparedRun;
}

export type RunCheck = { taken: number; oversold: number; quotaOversold: number; partial: number; drift: number };

/**
 * What must hold after any run, counted from the tickets themselves (not from anything the app keeps):
 * seats taken within capacity and quota, and no order holding fewer tickets than it asked for.
 */
export async function checkRun(admin: pg.Pool, run: PreparedRun): Promise<RunCheck> {
  const { rows } = await admin.query<{ taken: number; students: number }>(
    `SELECT count(*)::int AS taken, count(*) FILTER (WHERE t."ticketTypeId" = $2)::int AS students
     FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
     WHERE t."editionId" = $1 AND t.status = 'ACTIVE'
       AND (o.status = 'CONFIRMED' OR (o.status = 'PENDING' AND o."holdExpiresAt" > now()))`,
    [run.edition.id, run.typeIds.student],
  );
  // Requests' buyers are rush.<i>.0@, buyer.<i>@ or raw.<i>@; seeded attendees (bench.<n>@) asked for one ticket.
  const orders = await admin.query<{ email: string; n: number }>(
    `SELECT o."buyerEmail" AS email, count(t.id)::int AS n FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
     WHERE o."editionId" = $1 AND o."buyerEmail" NOT LIKE 'bench.%' GROUP BY o.id`,
    [run.edition.id],
  );
  // The edition's seat counter against a full count of its tickets (lib/capacity/counters.ts checks every row).
  const drift = await admin.query<{ drift: number }>(
    `SELECT (SELECT confirmed + held FROM "EditionSeats" WHERE "editionId" = $1)
          - (SELECT count(*) FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
             WHERE t."editionId" = $1 AND t.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING'))::int AS drift`,
    [run.edition.id],
  );
  const partial = orders.rows.filter((row) => row.n !== groupOf(Number(/^[a-z]+\.(\d+)/.exec(row.email)?.[1])).length);
  return {
    taken: rows[0].taken,
    oversold: Math.max(0, rows[0].taken - run.capacity),
    quotaOversold: run.studentQuota === null ? 0 : Math.max(0, rows[0].students - run.studentQuota),
    partial: partial.length,
    drift: drift.rows[0].drift,
  };
}
