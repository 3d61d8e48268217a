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
// RUSH_CODES=on: a sponsor's block of seats held back from general sale, its code on every fifth request, and a
// community code (20 %, 40 uses) on every seventh: the rush with codes and a block must oversell nothing either.
export const CODES = process.env.RUSH_CODES === "on";
const BLOCK_SEATS = 50;
const BLOCK_CODE = "RUSH-BLOCK";
const COMMUNITY_CODE = "RUSH-COMMUNITY";
const COMMUNITY_USES = 40;
const codeOf = (i: number) =>
  !CODES ? undefined : i % 5 === 0 ? BLOCK_CODE : i % 7 === 0 ? COMMUNITY_CODE : undefined;

/** Request i's group: a size spread evenly over the range, every fourth ticket a student one. */
export function groupOf(i: number): ("free" | "student")[] {
  const size = GROUPS ? MIN_GROUP + ((i * 7) % (MAX_GROUP - MIN_GROUP + 1)) : 1;
  return Array.from({ length: size }, (_, j) => (GROUPS && (i + j) % 4 === 0 ? "student" : "free"));
}

export function requestBody(i: number) {
  const attendee = (j: number) => ({ firstName: "Rush", lastName: `N${i}-${j}`, email: `rush.${i}.${j}@example.org` });
  const code = codeOf(i);
  if (!GROUPS) return { ticketType: "free", attendee: attendee(0), code };
  const buyer = { firstName: "Buyer", lastName: `N${i}`, email: `buyer.${i}@example.org` };
  return { buyer, tickets: groupOf(i).map((ticketType, j) => ({ ticketType, attendee: attendee(j) })), code };
}

export const groupShape = () =>
  (GROUPS ? `groups of ${MIN_GROUP}-${MAX_GROUP} tickets` : "one ticket each") +
  (CODES ? `, codes: a ${BLOCK_SEATS}-seat block's on every 5th, a ${COMMUNITY_USES}-use 20 % one on every 7th` : "");

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
  /** RUSH_CODES: the block's seats, held back from general sale within `capacity`. */
  blockSeats: number;
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
  const blockSeats = CODES && workload !== "soldout" ? BLOCK_SEATS : 0;
  if (CODES) await createCodes(db, edition.id, blockSeats);
  return { edition, capacity, seeded, studentQuota, typeIds, blockSeats } satisfies PreparedRun;
}

// As the back office makes them (lib/vouchers): the block's insert takes its seats out of general sale (a trigger).
async function createCodes(db: Db, editionId: string, blockSeats: number) {
  const block =
    blockSeats > 0
      ? await db.seatAllocation.create({
          data: { editionId, name: "Sponsor", seats: blockSeats, releaseAt: new Date(Date.now() + 86_400_000) },
        })
      : null;
  const voucher = (
    code: string,
    maxUses: number,
    extra: { effect: "FREE" | "PERCENT_OFF"; percentOff?: number; allocationId?: string | null },
  ) => db.voucher.create({ data: { editionId, code, codeKey: code.replaceAll("-", ""), maxUses, ...extra } });
  await voucher(BLOCK_CODE, REQUESTS * MAX_GROUP, { effect: "FREE", allocationId: block?.id ?? null });
  await voucher(COMMUNITY_CODE, COMMUNITY_USES, { effect: "PERCENT_OFF", percentOff: 20 });
}

export type RunCheck = {
  taken: number;
  oversold: number;
  quotaOversold: number;
  partial: number;
  drift: number;
  /** RUSH_CODES: seats of general sale sold beyond capacity − block, block seats beyond the block, uses beyond. */
  codesOversold: number;
  codes: string;
};

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
  const codes = await admin.query<{ general: number; block: number; community: number; communityUsed: number }>(
    `SELECT count(*) FILTER (WHERE t."allocationId" IS NULL)::int AS general,
            count(*) FILTER (WHERE t."allocationId" IS NOT NULL)::int AS block,
            count(*) FILTER (WHERE v.code = $2)::int AS community,
            (SELECT used FROM "Voucher" WHERE "editionId" = $1 AND code = $2) AS "communityUsed"
     FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" LEFT JOIN "Voucher" v ON v.id = t."voucherId"
     WHERE t."editionId" = $1 AND t.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING')`,
    [run.edition.id, COMMUNITY_CODE],
  );
  const c = codes.rows[0];
  const partial = orders.rows.filter((row) => row.n !== groupOf(Number(/^[a-z]+\.(\d+)/.exec(row.email)?.[1])).length);
  return {
    taken: rows[0].taken,
    oversold: Math.max(0, rows[0].taken - run.capacity),
    quotaOversold: run.studentQuota === null ? 0 : Math.max(0, rows[0].students - run.studentQuota),
    partial: partial.length,
    drift: drift.rows[0].drift,
    codesOversold: !CODES
      ? 0
      : Math.max(0, c.general - (run.capacity - run.blockSeats)) +
        Math.max(0, c.block - run.blockSeats) +
        Math.max(0, c.community - COMMUNITY_USES) +
        Math.abs((c.communityUsed ?? 0) - c.community),
    codes: CODES ? `block ${c.block}/${run.blockSeats}, community ${c.community}/${COMMUNITY_USES}` : "",
  };
}
