// npm run bench:waitlist — the waiting list under load (it prints numbers; it is not a test). An edition of 300 seats
// is sold out; WAITLIST_ENTRIES people (1,000) join its list through joinWaitingList, as the form and the API do; then
// the organiser raises the capacity by WAITLIST_FREED seats (200) in one update, whose seat trigger offers them down
// the line in the same transaction. Measured: that transaction, then the time until the real email worker has sent
// every offer's email to a real SMTP server; then every offer lapses at once (the sweep, with its clock 25 h on) and
// passes to the next entries. After each step, what must hold is counted from the rows: no seat offered twice, no
// entry with two offers, the counters' `reserved` equal to the open offers' seats, nothing beyond capacity or quota.
import { createEdition } from "@/devtools/testing/fixtures";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { createSmtpTransport, startEmailWorker } from "@/lib/notifications/worker";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { joinWaitingList } from "@/lib/waitlist/join";
import { expireOffers } from "@/lib/waitlist/sweep";
import { benchPool, seedAttendees, startBenchDatabase } from "./support";

const SEATS = 300;
const ENTRIES = Number(process.env.WAITLIST_ENTRIES ?? 1000);
const FREED = Number(process.env.WAITLIST_FREED ?? 200);
const STUDENT_QUOTA = 60;
const EMAIL_TIMEOUT_MS = 600_000;
// As an app instance sends them (SMTP_CONNECTIONS, 4 by default).
const CONNECTIONS = Number(process.env.SMTP_CONNECTIONS ?? 4);

/**
 * Who waits, by position: mostly one seat of either type; every 10th an exact group of 3, every 10th another a group of
 * 4 that accepts fewer, every 10th a student who takes only the student type (with its own quota).
 */
function joinRequest(i: number) {
  const kind = i % 10;
  return {
    name: `Waiting ${i}`,
    email: `waiting.${i}@example.org`,
    locale: i % 3 === 0 ? "en" : "fr",
    seats: kind === 7 ? 3 : kind === 8 ? 4 : 1,
    acceptsFewer: kind === 8,
    ticketTypes: kind === 9 ? ["student"] : ["standard", "student"],
  };
}

type Invariants = {
  offered: number;
  offeredSeats: number;
  gathering: number;
  gatheringSeats: number;
  reserved: number;
  taken: number;
  capacity: number;
  entriesWithTwoOffers: number;
  studentOverQuota: number;
};

/** What must hold, counted from the rows themselves and the edition's counter row. */
async function invariants(admin: ReturnType<typeof benchPool>, editionId: string): Promise<Invariants> {
  const { rows } = await admin.query<Invariants>(
    `SELECT
       (SELECT count(*) FROM "WaitingListOffer" WHERE "editionId" = $1 AND status = 'OFFERED')::int AS offered,
       (SELECT coalesce(sum(seats), 0) FROM "WaitingListOffer"
         WHERE "editionId" = $1 AND status = 'OFFERED')::int AS "offeredSeats",
       (SELECT count(*) FROM "WaitingListOffer" WHERE "editionId" = $1 AND status = 'GATHERING')::int AS gathering,
       (SELECT coalesce(sum(seats), 0) FROM "WaitingListOffer"
         WHERE "editionId" = $1 AND status = 'GATHERING')::int AS "gatheringSeats",
       (SELECT reserved FROM "EditionSeats" WHERE "editionId" = $1)::int AS reserved,
       (SELECT confirmed + held + reserved FROM "EditionSeats" WHERE "editionId" = $1)::int AS taken,
       (SELECT capacity FROM "Edition" WHERE id = $1)::int AS capacity,
       (SELECT count(*) FROM (SELECT "entryId" FROM "WaitingListOffer"
         WHERE "editionId" = $1 AND status IN ('OFFERED', 'GATHERING')
         GROUP BY "entryId" HAVING count(*) > 1) twice)::int AS "entriesWithTwoOffers",
       (SELECT greatest(0, coalesce(sum(o.seats), 0) - $2) FROM "WaitingListOffer" o
          JOIN "TicketType" t ON t.id = o."ticketTypeId"
         WHERE o."editionId" = $1 AND o.status IN ('OFFERED', 'GATHERING') AND t.code = 'student')::int
         AS "studentOverQuota"`,
    [editionId, STUDENT_QUOTA],
  );
  return rows[0];
}

function describe(check: Invariants): string {
  const problems = [
    check.reserved !== check.offeredSeats + check.gatheringSeats &&
      `reserved ${check.reserved} ≠ open offers' seats ${check.offeredSeats + check.gatheringSeats}`,
    check.taken > check.capacity && `oversold by ${check.taken - check.capacity}`,
    check.entriesWithTwoOffers > 0 && `${check.entriesWithTwoOffers} entries with two open offers`,
    check.studentOverQuota > 0 && `student quota exceeded by ${check.studentOverQuota}`,
  ].filter(Boolean);
  return (
    `${check.offered} offers out (${check.offeredSeats} seats), ${check.gathering} gathering ` +
    `(${check.gatheringSeats} seats); taken ${check.taken}/${check.capacity}; ` +
    (problems.length === 0 ? "no seat offered twice, none oversold" : `BROKEN: ${problems.join("; ")}`)
  );
}

/** Polls the outbox until `count` emails of `kind` are SENT; returns when that was, or throws on the timeout. */
async function emailsSent(admin: ReturnType<typeof benchPool>, kind: string, count: number, since: number) {
  for (;;) {
    const { rows } = await admin.query<{ sent: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent,
              count(*) FILTER (WHERE status = 'FAILED')::int AS failed
         FROM "EmailOutbox" WHERE kind = $1`,
      [kind],
    );
    if (rows[0].failed > 0) throw new Error(`${rows[0].failed} ${kind} emails failed`);
    if (rows[0].sent >= count) return performance.now();
    if (performance.now() - since > EMAIL_TIMEOUT_MS) throw new Error(`${kind}: ${rows[0].sent}/${count} sent`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ms = (from: number, to: number) => `${Math.round(to - from).toLocaleString("en")} ms`;
const perSecond = (count: number, from: number, to: number) => Math.round((count * 1000) / (to - from));

async function main() {
  const database = await startBenchDatabase({ logFile: process.env.BENCH_PG_LOG });
  const { url } = database;
  const admin = benchPool(url, 2);
  const db: Db = createPrismaClient(url, 5);
  const smtp = await startSmtpCapture();
  const keys = ticketKeysFrom(generateTicketSigningKey());
  // As an instance sends them: one kept-alive connection per worker loop (lib/notifications/app-worker.ts).
  const transport = createSmtpTransport(smtp.url);
  const stopWorker = await startEmailWorker(
    url,
    {
      db,
      transport,
      from: "Guichet <tickets@example.org>",
      appUrl: "http://app.test",
      signingKey: keys.privateKey,
    },
    { connections: CONNECTIONS },
  );
  try {
    const edition = await createEdition(db, {
      capacity: SEATS,
      ticketTypes: [
        { code: "standard", priceCents: 4900 },
        { code: "student", priceCents: 1900, quota: STUDENT_QUOTA },
      ],
    });
    const standard = edition.ticketTypes.find((type) => type.code === "standard")!;
    await seedAttendees(url, edition.id, standard.id, SEATS, "S");
    console.log(
      `Edition of ${SEATS} seats, sold out; ${ENTRIES} entries join, then ${FREED} seats are freed. ` +
        `Emails: the real worker, ${CONNECTIONS} loops per queue, a connection per email, to a real SMTP server ` +
        `on loopback.`,
    );

    const joinStart = performance.now();
    for (let i = 0; i < ENTRIES; i++) {
      const joined = await joinWaitingList(db, edition.slug, joinRequest(i), {});
      if (!joined.ok) throw new Error(`join ${i}: ${JSON.stringify(joined)}`);
    }
    const joinEnd = performance.now();
    const joinedSent = await emailsSent(admin, "waitlist_joined", ENTRIES, joinEnd);
    console.log(
      `joined: ${ENTRIES} entries in ${ms(joinStart, joinEnd)} (${perSecond(ENTRIES, joinStart, joinEnd)}/s, ` +
        `one at a time); their ${ENTRIES} confirmations sent ${ms(joinEnd, joinedSent)} later`,
    );
    await admin.query(`ANALYZE "WaitingListEntry", "WaitingListEntryType"`);

    // The organiser moves to a bigger room: one update, whose trigger walks the line under the edition's row.
    const raiseStart = performance.now();
    await db.edition.update({ where: { id: edition.id }, data: { capacity: SEATS + FREED } });
    const raiseEnd = performance.now();
    const raised = await invariants(admin, edition.id);
    const raisedSent = await emailsSent(admin, "waitlist_offer", raised.offered, raiseEnd);
    console.log(
      `capacity +${FREED}: offers made in ${ms(raiseStart, raiseEnd)} (one transaction); ` +
        `every offer email sent ${ms(raiseEnd, raisedSent)} later (${perSecond(raised.offered, raiseEnd, raisedSent)}` +
        `/s over SMTP)`,
    );
    console.log(`  ${describe(raised)}`);

    // A day later nobody has answered: every offer lapses in one sweep and passes down the line.
    const later = new Date(Date.now() + 25 * 3_600_000);
    const lapseStart = performance.now();
    const lapsed = await expireOffers(db, later);
    const lapseEnd = performance.now();
    const passed = await invariants(admin, edition.id);
    const lapsedSent = await emailsSent(admin, "waitlist_offer_lapsed", lapsed, lapseEnd);
    const passedSent = await emailsSent(admin, "waitlist_offer", raised.offered + passed.offered, lapseEnd);
    const allSent = Math.max(lapsedSent, passedSent);
    console.log(
      `all lapse: ${lapsed} offers lapsed and passed on in ${ms(lapseStart, lapseEnd)}; ` +
        `${lapsed} lapse and ${passed.offered} new offer emails sent ${ms(lapseEnd, allSent)} later`,
    );
    console.log(`  ${describe(passed)}`);
    const { rows } = await admin.query<{ offers: number; entries: number; sent: number }>(
      `SELECT count(*)::int AS offers, count(DISTINCT "entryId")::int AS entries,
              (SELECT count(*) FROM "EmailOutbox" WHERE status = 'SENT')::int AS sent
         FROM "WaitingListOffer" WHERE "editionId" = $1 AND status <> 'GATHERING'`,
      [edition.id],
    );
    console.log(
      `in all: ${rows[0].offers} offers to ${rows[0].entries} distinct entries; ` +
        `${rows[0].sent} emails marked sent, ${smtp.messages.length} received by the SMTP server`,
    );
  } finally {
    await stopWorker();
    transport.close();
    await smtp.stop();
    await db.$disconnect();
    await admin.end();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
