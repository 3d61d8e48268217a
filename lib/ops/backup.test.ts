import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cancelAttendee } from "@/lib/attendees/manage";
import { upsertUser } from "@/lib/auth/users";
import { getSeatUsage } from "@/lib/capacity/seats";
import { recordScan } from "@/lib/checkin/scan";
import { createPrismaClient } from "@/lib/db/prisma";
import { recountEditionSeats } from "@/lib/editions/seat-recount";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";
import { registerAttendee } from "@/lib/orders/register";
import { refundOrder } from "@/lib/payments/refunds";
import { signTicketCode } from "@/lib/tickets/codes";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { pendingMigrations } from "@/devtools/postgres/migrate";
import {
  companyBilling,
  createEdition,
  createOrganiser,
  organiserProfileForm,
  registerTicket,
} from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { dropDatabase, withClient } from "@/devtools/testing/test-postgres";
import { addTestEntry, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { backupDatabase, defaultBackupFile, findPgClient, restoreDatabase } from "./backup";

const { db, url } = await useTestDatabase();
const { stripe, payOrder } = await useLocalStripe();
const adminUrl = inject("testPostgresAdminUrl");
const actor = await createOrganiser(db);
const work = mkdtempSync(path.join(tmpdir(), "guichet-backup-"));
const databases: string[] = [];
afterAll(async () => {
  await Promise.all(databases.map((name) => dropDatabase(adminUrl, name)));
  rmSync(work, { recursive: true, force: true });
});

/** A new database as `createdb` makes it: empty, from template1. */
async function emptyDatabase(): Promise<string> {
  const name = `guichet_restore_${randomUUID().replaceAll("-", "")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  databases.push(name);
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Every table of `public` and `pgboss` (pg_tables: partitioned parents included) with its row count and a digest. */
async function tablesOf(databaseUrl: string): Promise<Record<string, { rows: number; digest: string }>> {
  return withClient(databaseUrl, async (client) => {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
       WHERE schemaname IN ('public', 'pgboss') ORDER BY 1`,
    );
    const result: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ rows: number; digest: string | null }>(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${name} t`,
      );
      result[name] = { rows: rows[0].rows, digest: rows[0].digest ?? "" };
    }
    return result;
  });
}

async function fixtures() {
  const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
  const created = await createEdition(db, {
    capacity: 20,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  const main = await db.edition.update({
    where: { id: created.id },
    data: { transferDays: 14, transferClosesDaysBefore: 7 },
    include: { ticketTypes: true },
  });

  await holdSeats(db, main, 2, "paid");
  await lapseHolds(db, [await holdSeats(db, main, 1, "paid")]);
  const admitted = await registerTicket(db, main.slug, "free", "admitted");
  const cancelled = await registerTicket(db, main.slug, "free", "cancelled");
  expect(await cancelAttendee(db, stripe, actor, main.id, cancelled.id, { refund: false })).toMatchObject({ ok: true });

  const buyer = { firstName: "Ada", lastName: "Office", email: "ada.office@acme.example", company: "Acme" };
  const member = (n: number) => ({
    ticketType: "paid",
    attendee: { firstName: "Team", lastName: `Member ${n}`, email: `member${n}@acme.example` },
  });
  const paid = await registerAttendee(
    db,
    main.slug,
    { buyer, tickets: [member(1), member(2)], locale: "fr", billing: companyBilling },
    { holdMinutes: 35 },
  );
  if (!paid.ok) throw new Error(paid.reason);
  await payOrder(db, paid.order.id);
  expect(await refundOrder(db, stripe, paid.order.id, { reason: "organiser_cancelled" })).toBe("refunded");
  const byTransfer = await registerAttendee(
    db,
    main.slug,
    { buyer, tickets: [member(3)], locale: "fr", billing: companyBilling, paymentMethod: "transfer" },
    { holdMinutes: 35 },
  );
  if (!byTransfer.ok) throw new Error(byTransfer.reason);

  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const code = signTicketCode(
    { ticketId: admitted.id, editionId: main.id, codeVersion: admitted.codeVersion },
    privateKey,
  );
  for (const deviceId of ["door-1", "door-2"]) {
    await recordScan(
      db,
      [{ publicKey }],
      main.id,
      { userId: null, apiTokenId: null },
      { code, nonce: randomUUID(), deviceId, offlineAdmitted: false },
    );
  }

  // A full edition whose one hold lapses: its seat is offered to the first entry in line.
  const full = await createEdition(db, { capacity: 1, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  const lapsing = await holdSeats(db, full, 1);
  await addTestEntry(db, full);
  await lapseHolds(db, [lapsing]);
  return [main, full];
}

describe("db:backup then db:restore", () => {
  const file = path.join(work, "guichet.dump");
  let editions: { id: string }[];
  let backup: Awaited<ReturnType<typeof backupDatabase>>;
  let restoredUrl: string;
  beforeAll(async () => {
    editions = await fixtures();
    backup = await backupDatabase({ databaseUrl: url, file });
    restoredUrl = await emptyDatabase();
  });

  it("starts from a database holding every kind of row a restore must bring back", async () => {
    const statuses = await db.order.groupBy({ by: ["status"], orderBy: { status: "asc" } });
    expect(statuses.map((row) => row.status)).toEqual(["PENDING", "CONFIRMED", "EXPIRED", "CANCELLED", "REFUNDED"]);
    expect(await db.order.count({ where: { status: "PENDING", paymentMethod: "TRANSFER" } })).toBe(1);
    const documents = (await db.invoice.findMany()).map((row) => storedInvoiceDocument(row.document).kind);
    expect(documents.sort()).toEqual(["credit_note", "invoice"]);
    expect(await db.waitingListOffer.count({ where: { status: "OFFERED" } })).toBe(1);
    expect(await db.checkInScan.count()).toBe(2);
    const queued = await withClient(url, (client) =>
      client.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'created'"),
    );
    expect(queued.rows[0].n).toBeGreaterThan(0);
  });

  it("writes one archive readable by its owner only", () => {
    expect(backup).toMatchObject({ ok: true, file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe("PGDMP");
  });

  it("restores into an empty database every row of every table, the job queue's included", async () => {
    expect(await restoreDatabase({ databaseUrl: restoredUrl, file })).toEqual({ ok: true });
    const [before, after] = [await tablesOf(url), await tablesOf(restoredUrl)];
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['public."Order"', "pgboss.job", "pgboss.queue"]));
    expect(after).toEqual(before);
    expect(await pendingMigrations(restoredUrl)).toEqual([]);
  });

  it("gives every edition the same seat usage, with counters equal to a full recount", async () => {
    const restored = createPrismaClient(restoredUrl, 2);
    try {
      const now = new Date();
      for (const edition of editions) {
        expect(await getSeatUsage(restored, edition.id, now)).toEqual(await getSeatUsage(db, edition.id, now));
        expect(await recountEditionSeats(restored, actor, edition.id)).toEqual({ ok: true, off: 0 });
      }
    } finally {
      await restored.$disconnect();
    }
  });

  it("refuses a database that already holds tables, changing nothing", async () => {
    const before = await tablesOf(restoredUrl);
    const again = await restoreDatabase({ databaseUrl: restoredUrl, file });
    expect(again).toMatchObject({ ok: false, reason: "not_empty" });
    expect(await tablesOf(restoredUrl)).toEqual(before);
  });

  it("refuses what is not a whole archive, leaving the target empty", async () => {
    const target = await emptyDatabase();
    const text = path.join(work, "orders.sql");
    writeFileSync(text, "SELECT 1;\n");
    const truncated = path.join(work, "truncated.dump");
    const archive = readFileSync(file);
    // Cut short in its last table's data, past the table of contents: found out only while restoring.
    writeFileSync(truncated, archive.subarray(0, archive.length - 64));
    const folder = path.join(work, "a-folder");
    mkdirSync(folder);

    const outcomes = [];
    for (const bad of [path.join(work, "missing.dump"), folder, text, truncated]) {
      const outcome = await restoreDatabase({ databaseUrl: target, file: bad });
      if (outcome.ok) throw new Error(`${bad} was restored`);
      expect(outcome.message).not.toContain("\n");
      outcomes.push(outcome.reason);
    }
    expect(outcomes).toEqual(["missing_file", "unreadable", "not_a_dump", "restore_failed"]);
    expect(await tablesOf(target)).toEqual({});
  });

  it("says so in one line when the database does not answer, and writes no archive", async () => {
    const closed = `postgresql://guichet:secret-password@127.0.0.1:${await findFreePort()}/guichet`;
    const unreached = path.join(work, "unreached.dump");
    for (const outcome of [
      await backupDatabase({ databaseUrl: closed, file: unreached }),
      await restoreDatabase({ databaseUrl: closed, file }),
    ]) {
      expect(outcome).toMatchObject({ ok: false, reason: "unreachable" });
      if (!outcome.ok) expect(outcome.message).not.toMatch(/secret-password|\n/);
    }
    expect(() => statSync(unreached)).toThrow();
    expect(() => statSync(`${unreached}.partial`)).toThrow();
  });

  it("refuses a pg_dump older than the server, writing nothing", async () => {
    const binDir = path.join(work, "old-bin");
    mkdirSync(binDir);
    writeFileSync(path.join(binDir, "pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n", { mode: 0o755 });
    const old = path.join(work, "old.dump");
    const outcome = await backupDatabase({ databaseUrl: url, file: old, clients: { binDir } });
    expect(outcome).toMatchObject({ ok: false, reason: "client_too_old" });
    if (!outcome.ok) expect(outcome.message).toContain("older than the server (15): install postgresql-client-15");
    expect(() => statSync(old)).toThrow();
  });

  it("never overwrites an archive", async () => {
    const size = statSync(file).size;
    expect(await backupDatabase({ databaseUrl: url, file })).toMatchObject({ ok: false, reason: "exists" });
    expect(statSync(file).size).toBe(size);
  });
});

describe("the PostgreSQL client tools", () => {
  it("are refused when older than the server, naming the package to install", async () => {
    const old = await findPgClient("pg_dump", 99, { debianRoot: work, pathEnv: "/usr/bin" });
    expect(old).toMatchObject({ ok: false, reason: "client_too_old" });
    expect(typeof old === "object" && old.message).toMatch(
      /older than the server \(99\): install postgresql-client-99/,
    );
  });

  it("are looked for in PG_BIN_DIR, then Debian's folder for the server's major version, then PATH", async () => {
    const none = { binDir: work, debianRoot: work, pathEnv: work };
    expect(await findPgClient("pg_restore", 15, none)).toMatchObject({ ok: false, reason: "no_client" });
    const bin = path.join(work, "15", "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, "pg_restore"), "#!/bin/sh\necho 'pg_restore (PostgreSQL) 15.18'\n", { mode: 0o755 });
    expect(await findPgClient("pg_restore", 15, { debianRoot: work, pathEnv: "/usr/bin" })).toBe(
      path.join(bin, "pg_restore"),
    );
    expect(await findPgClient("pg_restore", 15, { binDir: "/usr/bin", debianRoot: work })).toBe("/usr/bin/pg_restore");
  });

  it("name archives by the UTC second they were made", () => {
    expect(defaultBackupFile("backups", new Date("2026-11-26T18:04:09.512Z"))).toBe(
      path.join("backups", "guichet-20261126T180409.dump"),
    );
  });
});
