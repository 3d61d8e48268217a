import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { getSeatUsage } from "@/lib/capacity/seats";
import { createPrismaClient } from "@/lib/db/prisma";
import { looksLikeAccessToken } from "@/lib/orders/codes";
import { getOrderByAccessToken, getTicketByAccessToken } from "@/lib/orders/queries";
import { dropDatabase, withClient } from "@/devtools/testing/test-postgres";

// The schema as it stood before the 26 November migrations; what came after must keep every row of it.
const FIRST_NEW_MIGRATION = "20261126";
// The waiting list (issue 18): a block reserved before it must stay a block.
const WAITING_LIST = "20261206100000";
// Messages and certificates (issue 19): every email gets its edition, the waiting list's and a speaker's included.
const MESSAGES = "20261208100000";
const MIGRATIONS = path.resolve("prisma/migrations");
const adminUrl = inject("testPostgresAdminUrl");
const name = `guichet_migrations_${randomUUID().replaceAll("-", "")}`;
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
afterAll(() => dropDatabase(adminUrl, name));

function migrations(which: "before" | "after", { from = "", until = "99999999999999" } = {}): string[] {
  return readdirSync(MIGRATIONS)
    .filter((folder) => /^\d{14}_/.test(folder))
    .sort()
    .filter((folder) => folder < FIRST_NEW_MIGRATION === (which === "before"))
    .filter((folder) => folder >= from && folder < until)
    .map((folder) => readFileSync(path.join(MIGRATIONS, folder, "migration.sql"), "utf8"));
}

// One order of every status with its ticket, refunds decided and sent, emails pending and sent, a scan.
const SEED = `
  INSERT INTO "Edition" (id, slug, "nameFr", "nameEn", "venueName", "venueAddress", "startsAt", "endsAt", "timeZone",
    capacity, status, "updatedAt")
  VALUES ('00000000-0000-4000-8000-00000000e001', 'before-migrations', 'Avant', 'Before', 'Venue', 'Paris',
    now() + interval '30 days', now() + interval '30 days 9 hours', 'Europe/Paris', 10, 'OPEN', now());
  INSERT INTO "TicketType" (id, "editionId", code, "nameFr", "nameEn", "priceCents")
  VALUES ('00000000-0000-4000-8000-00000000a001', '00000000-0000-4000-8000-00000000e001', 'paid', 'Payant', 'Paid',
    4900);
  INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerEmail", locale, status, "amountCents", currency,
    "holdExpiresAt", "paymentReference", "paymentIntentId", "statusReason", "confirmedAt", "updatedAt")
  SELECT ('00000000-0000-4000-8000-0000000000' || lpad(n::text, 2, '0'))::uuid, 'REF-000' || n,
    'token-of-order-number-' || n,
    '00000000-0000-4000-8000-00000000e001', 'buyer' || n || '@example.org', 'fr', s::"OrderStatus", 4900, 'EUR',
    CASE WHEN s = 'PENDING' THEN now() + interval '20 minutes' END, 'cs_test_' || n,
    CASE WHEN s IN ('CONFIRMED', 'REFUNDED') THEN 'pi_test_' || n END,
    CASE s WHEN 'EXPIRED' THEN 'hold_expired' WHEN 'CANCELLED' THEN 'checkout_cancelled'
      WHEN 'REFUNDED' THEN 'attendee_cancelled' END,
    CASE WHEN s IN ('CONFIRMED', 'REFUNDED') THEN now() - interval '1 day' END, now()
  FROM unnest(ARRAY['PENDING', 'CONFIRMED', 'EXPIRED', 'CANCELLED', 'REFUNDED', 'REFUNDED']) WITH ORDINALITY AS t(s, n);
  INSERT INTO "Ticket" (id, "orderId", "editionId", "ticketTypeId", "firstName", "lastName", email, "priceCents",
    status, "updatedAt")
  SELECT gen_random_uuid(), o.id, o."editionId", '00000000-0000-4000-8000-00000000a001', 'Ada', o.reference,
    o."buyerEmail", 4900,
    CASE WHEN o.status IN ('PENDING', 'CONFIRMED') THEN 'ACTIVE' ELSE 'CANCELLED' END::"TicketStatus", now()
  FROM "Order" o;
  INSERT INTO "Refund" (id, "orderId", "amountCents", currency, reason, status, "stripeRefundId", "settledAt")
  VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000005', 4900, 'EUR', 'attendee_cancelled', 'SUCCEEDED',
          're_1', now()),
         (gen_random_uuid(), '00000000-0000-4000-8000-000000000006', 4900, 'EUR', 'late_payment_no_seat', 'PENDING',
          NULL, NULL);
  INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, status, attempts, "createdAt",
    "sentAt")
  VALUES (gen_random_uuid(), 'confirm:2', 'order_confirmation', '00000000-0000-4000-8000-000000000002',
          'buyer2@example.org', 'fr', 'SENT', 1, now() - interval '2 days', now() - interval '2 days'),
         (gen_random_uuid(), 'confirm:5', 'order_confirmation', '00000000-0000-4000-8000-000000000005',
          'buyer5@example.org', 'fr', 'PENDING', 3, now() - interval '3 hours', NULL);
  INSERT INTO "CheckInScan" (id, nonce, "editionId", "ticketId", result, "deviceId", "scannedAt", answer)
  SELECT gen_random_uuid(), 'nonce-1', t."editionId", t.id, 'ADMITTED', 'door-1', now(), '{"result":"admitted"}'
  FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE o.status = 'CONFIRMED';
  INSERT INTO "RateLimit" (key, "windowStart", count) VALUES ('registration:client:203.0.113.9', now(), 3);
`;

describe("this session's migrations on a database in use", () => {
  it("keep orders of every status, their tickets, refunds, emails and scans, and fill the new columns", async () => {
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    await withClient(url, async (client) => {
      for (const sql of migrations("before")) await client.query(sql);
      await client.query(SEED);
      // Receipts at 5.5 %: the edition's rate, which its ticket types take when they get one of their own.
      await client.query(`UPDATE "Edition" SET "vatRateBasisPoints" = 550`);
    });
    const snapshot = (client: Parameters<Parameters<typeof withClient>[1]>[0]) =>
      client.query(`
        SELECT o.reference, o.status, o."holdExpiresAt" IS NOT NULL AS held, o."paymentIntentId", t.status AS ticket,
               r.status AS refund, (SELECT count(*) FROM "EmailOutbox" e WHERE e."orderId" = o.id)::int AS emails
        FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id LEFT JOIN "Refund" r ON r."orderId" = o.id
        ORDER BY o.reference`);
    const before = (await withClient(url, snapshot)).rows;
    expect(before.map((row) => row.status)).toEqual([
      "PENDING",
      "CONFIRMED",
      "EXPIRED",
      "CANCELLED",
      "REFUNDED",
      "REFUNDED",
    ]);

    await withClient(url, async (client) => {
      for (const sql of migrations("after", { until: WAITING_LIST })) await client.query(sql);
      // A sponsor's block given back to general sale already, so the seat counts below stay as they were.
      await client.query(`INSERT INTO "SeatAllocation" (id, "editionId", name, seats, "releaseAt", "releasedAt",
        "updatedAt") VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000e001', 'Early sponsor', 2,
        now() - interval '1 day', now() - interval '1 day', now())`);
      for (const sql of migrations("after", { from: WAITING_LIST, until: MESSAGES })) await client.query(sql);
      await client.query(`
        INSERT INTO "WaitingListEntry" (id, "editionId", name, email, "emailKey", locale, "seatsWanted", token,
          "updatedAt")
        VALUES ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-00000000e001', 'Wanda',
          'wanda@example.org', 'wanda@example.org', 'en', 1, 'entry-token', now());
        INSERT INTO "Voucher" (id, "editionId", code, "codeKey", effect, "maxUses", tag, "issuedTo", "updatedAt")
        VALUES ('00000000-0000-4000-8000-0000000000f2', '00000000-0000-4000-8000-00000000e001', 'TALK', 'TALK',
          'FREE', 1, 'speakers', 'sam@example.org', now());
        INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "toAddress", locale, payload) VALUES
          (gen_random_uuid(), 'waitlist:1', 'waitlist_joined', 'wanda@example.org', 'en',
           '{"entryId": "00000000-0000-4000-8000-0000000000f1"}'),
          (gen_random_uuid(), 'speaker:1', 'speaker_pass', 'sam@example.org', 'en',
           '{"voucherId": "00000000-0000-4000-8000-0000000000f2", "name": "Sam"}'),
          (gen_random_uuid(), 'sign-in:1', 'sign_in_link', 'org@example.org', 'en', '{"url": "http://x"}')`);
      for (const sql of migrations("after", { from: MESSAGES })) await client.query(sql);
    });
    await withClient(url, async (client) => {
      expect((await snapshot(client)).rows).toEqual(before);
      const refunds = await client.query(
        `SELECT status, attempts, "nextAttemptAt", "lastError" FROM "Refund" ORDER BY status`,
      );
      expect(refunds.rows).toEqual([
        { status: "PENDING", attempts: 0, nextAttemptAt: null, lastError: null },
        { status: "SUCCEEDED", attempts: 0, nextAttemptAt: null, lastError: null },
      ]);
      const emails = await client.query(
        `SELECT count(*)::int AS n FROM "EmailOutbox" WHERE "queuedAt" = "createdAt" AND "orderId" IS NOT NULL`,
      );
      expect(emails.rows[0].n).toBe(2);
      // Every email about an edition knows it now, through its order, its waiting-list entry or its voucher; a
      // sign-in link is about none. New rows get theirs from the same rule.
      const editions = await client.query(`SELECT kind, "editionId" FROM "EmailOutbox" ORDER BY "dedupeKey"`);
      const edition = "00000000-0000-4000-8000-00000000e001";
      expect(editions.rows).toEqual([
        { kind: "order_confirmation", editionId: edition },
        { kind: "order_confirmation", editionId: edition },
        { kind: "sign_in_link", editionId: null },
        { kind: "speaker_pass", editionId: edition },
        { kind: "waitlist_joined", editionId: edition },
      ]);
      const added = await client.query(`INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress",
        locale, payload) VALUES (gen_random_uuid(), 'waitlist:2', 'waitlist_offer', NULL, 'w@example.org', 'fr',
        '{"entryId": "00000000-0000-4000-8000-0000000000f1"}'), (gen_random_uuid(), 'odd:1', 'returning_prefill',
        NULL, 'x@example.org', 'fr', '{"entryId": "not-a-uuid"}') RETURNING "editionId"`);
      expect(added.rows).toEqual([{ editionId: edition }, { editionId: null }]);
      // The entry was only there to be found: the waiting list's checks below start from an empty list.
      await client.query(`DELETE FROM "EmailOutbox" WHERE "dedupeKey" IN ('waitlist:2', 'odd:1')`);
      await client.query(`DELETE FROM "WaitingListEntry"`);
      const orders = await client.query(`SELECT DISTINCT "checkoutAttempt", "heldByClient" FROM "Order"`);
      expect(orders.rows).toEqual([{ checkoutAttempt: 0, heldByClient: null }]);
      const scans = await client.query(`SELECT nonce, "requestDigest" FROM "CheckInScan"`);
      expect(scans.rows).toEqual([{ nonce: "nonce-1", requestDigest: null }]);
      // Group orders: each existing order's buyer is its ticket's holder, and that ticket is its first.
      const buyers = await client.query(`
        SELECT count(*)::int AS n FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
        WHERE o."buyerFirstName" = t."firstName" AND o."buyerLastName" = t."lastName" AND t.position = 1
          AND o."buyerCompany" IS NOT DISTINCT FROM t.company`);
      expect(buyers.rows[0].n).toBe(6);
      const limits =
        await client.query(`SELECT e."maxTicketsPerOrder", tt."maxPerOrder" FROM "Edition" e JOIN "TicketType" tt
        ON tt."editionId" = e.id`);
      expect(limits.rows).toEqual([{ maxTicketsPerOrder: 10, maxPerOrder: null }]);
      // Tickets named later: every existing ticket stays named, gets its own link, and the edition allows it.
      const links = await client.query(`SELECT "accessToken" AS token FROM "Ticket"`);
      const tokens = links.rows.map((row) => row.token as string);
      expect(new Set(tokens).size).toBe(6);
      for (const token of tokens) {
        expect(looksLikeAccessToken(token)).toBe(true);
        expect(Buffer.from(token, "base64url")).toHaveLength(24);
      }
      const names = await client.query(
        `SELECT count(*)::int AS n FROM "Ticket" WHERE "firstName" IS NULL OR email IS NULL`,
      );
      expect(names.rows[0].n).toBe(0);
      expect((await client.query(`SELECT DISTINCT "allowNameLater" FROM "Edition"`)).rows).toEqual([
        { allowNameLater: true },
      ]);
      // Attendees of a group may not cancel their own tickets until the organisers say so.
      expect((await client.query(`SELECT DISTINCT "attendeesMayCancel" FROM "Edition"`)).rows).toEqual([
        { attendeesMayCancel: false },
      ]);
      // Reminders of unnamed tickets: existing editions remind 7 days before, no buyer has been reminded yet.
      const reminders = await client.query(`SELECT DISTINCT e."unnamedReminderDays" AS days, o."unnamedReminderAt" AS at
        FROM "Edition" e JOIN "Order" o ON o."editionId" = e.id`);
      expect(reminders.rows).toEqual([{ days: 7, at: null }]);
      await expect(client.query(`UPDATE "Edition" SET "unnamedReminderDays" = 0`)).rejects.toThrow(
        /Edition_unnamed_reminder_days/,
      );
      // Half a name is refused; all of it gone (an unnamed ticket) is not.
      await expect(client.query(`UPDATE "Ticket" SET email = NULL WHERE position = 1`)).rejects.toThrow(
        /Ticket_named_all_or_nothing/,
      );
    });

    // Today's code reads the migrated rows: the held and the confirmed seat still count, nothing else.
    const db = createPrismaClient(url, 2);
    try {
      const usage = await getSeatUsage(db, "00000000-0000-4000-8000-00000000e001");
      expect([usage.confirmed, usage.held]).toEqual([1, 1]);
      // Seat counters: filled from the orders as they stood, and kept by triggers from then on.
      expect(await seatCounterDrift(db)).toEqual([]);
      expect(await db.order.count({ where: { status: "REFUNDED", refunds: { some: { ticketId: null } } } })).toBe(2);
      // The order links mailed before still open their orders, and each ticket's new link opens it alone.
      const confirmed = await getOrderByAccessToken(db, "token-of-order-number-2");
      expect(confirmed?.status).toBe("CONFIRMED");
      const own = await getTicketByAccessToken(db, confirmed!.tickets[0].accessToken!);
      expect(own).toMatchObject({ id: confirmed!.tickets[0].id, codeVersion: 1, email: "buyer2@example.org" });
    } finally {
      await db.$disconnect();
    }

    await withClient(url, async (client) => {
      // Refunds per ticket: the existing refunds are order-level ones.
      const levels = await client.query(`SELECT count(*)::int AS n FROM "Refund" WHERE "ticketId" IS NULL`);
      expect(levels.rows[0].n).toBe(2);
      const confirmed = `(SELECT id FROM "Order" WHERE status = 'CONFIRMED')`;
      await client.query(`UPDATE "Ticket" SET status = 'REFUNDED' WHERE "orderId" = ${confirmed}`);
      const refundOfTicket = `INSERT INTO "Refund" (id, "orderId", "ticketId", "amountCents", currency, reason)
        SELECT gen_random_uuid(), "orderId", id, $1, 'EUR', 'attendee_cancelled' FROM "Ticket"
        WHERE "orderId" = ${confirmed}`;
      await expect(client.query(refundOfTicket, [4901])).rejects.toThrow(/exceed its payment/);
      await client.query(refundOfTicket, [4900]);
      // A refunded order has nothing left to refund.
      const orderLevel = `INSERT INTO "Refund" (id, "orderId", "amountCents", currency, reason)
        VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000005', 1, 'EUR', 'again')`;
      await expect(client.query(orderLevel)).rejects.toThrow(/exceed its payment/);
      // Behind the trigger, the indexes: one refund per ticket, one refund of "the rest" per order.
      await client.query(`ALTER TABLE "Refund" DISABLE TRIGGER "Refund_within_payment"`);
      await expect(client.query(refundOfTicket, [1])).rejects.toThrow(/Refund_ticketId_key/);
      await expect(client.query(orderLevel)).rejects.toThrow(/Refund_one_order_level/);
      await client.query(`ALTER TABLE "Refund" ENABLE TRIGGER "Refund_within_payment"`);
      // VAT per ticket type (issue 16): each existing type keeps the rate its receipts showed, with no mention.
      const vat = await client.query(
        `SELECT "vatRateBasisPoints" AS rate, "vatExemption" AS mention FROM "TicketType"`,
      );
      expect(vat.rows).toEqual([{ rate: 550, mention: null }]);
      await expect(client.query(`UPDATE "TicketType" SET "vatRateBasisPoints" = 1900`)).rejects.toThrow(
        /TicketType_vat_rate/,
      );
      const seats = await client.query(`SELECT capacity, open, confirmed, held FROM "EditionSeats"`);
      expect(seats.rows).toEqual([{ capacity: 10, open: true, confirmed: 0, held: 1 }]);
      // Rate limits are unlogged from now on, and keep the counts of the windows running.
      const limits = await client.query(
        `SELECT relpersistence, (SELECT count FROM "RateLimit") AS count FROM pg_class WHERE relname = 'RateLimit'`,
      );
      expect(limits.rows).toEqual([{ relpersistence: "u", count: 3 }]);
      // Paying by transfer: every existing order was a card's, every refund too; no edition takes transfers yet.
      const methods = await client.query(`SELECT DISTINCT "paymentMethod", "payToken", "transferRemindersSent"
        FROM "Order"`);
      expect(methods.rows).toEqual([{ paymentMethod: "CARD", payToken: null, transferRemindersSent: 0 }]);
      const refundMethods = await client.query(`SELECT DISTINCT method, "sentBy" FROM "Refund"`);
      expect(refundMethods.rows).toEqual([{ method: "CARD", sentBy: null }]);
      const transfer = await client.query(`SELECT "transferDays", "transferClosesDaysBefore" FROM "Edition"`);
      expect(transfer.rows).toEqual([{ transferDays: null, transferClosesDaysBefore: 7 }]);
      await expect(client.query(`UPDATE "Edition" SET "transferDays" = 1`)).rejects.toThrow(
        /Edition_transferDays_range/,
      );
      // Receipts read their ticket types' rates: the edition's own is gone, its types kept it (above).
      const editionVat = await client.query(`SELECT count(*)::int AS n FROM information_schema.columns
        WHERE table_name = 'Edition' AND column_name = 'vatRateBasisPoints'`);
      expect(editionVat.rows[0].n).toBe(0);
      // Vouchers (issue 17): every existing ticket was sold at its list price through no code, every type is listed.
      const priced = await client.query(`SELECT DISTINCT t."voucherId", t."allocationId", t."discountCents", tt.hidden
        FROM "Ticket" t JOIN "TicketType" tt ON tt.id = t."ticketTypeId"`);
      expect(priced.rows).toEqual([{ voucherId: null, allocationId: null, discountCents: 0, hidden: false }]);
      await expect(client.query(`UPDATE "Ticket" SET "discountCents" = 100`)).rejects.toThrow(
        /Ticket_discount_has_voucher/,
      );
      // Reserved blocks: nothing was reserved; a block now comes out of general sale, within capacity only.
      const reserved = await client.query(`SELECT reserved FROM "EditionSeats" UNION ALL SELECT reserved
        FROM "TicketTypeSeats"`);
      expect(reserved.rows).toEqual([{ reserved: 0 }, { reserved: 0 }]);
      const block = (seats: number) => `INSERT INTO "SeatAllocation" (id, "editionId", name, seats, "releaseAt",
        "updatedAt") VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000e001', 'Sponsor', ${seats},
        now() + interval '10 days', now())`;
      await expect(client.query(block(10))).rejects.toThrow(/sold_out/);
      await client.query(block(9));
      expect((await client.query(`SELECT held, reserved FROM "EditionSeats"`)).rows).toEqual([
        { held: 1, reserved: 9 },
      ]);
      // A speaker's code is issued to one address per tag; codes issued to nobody are as many as wanted.
      const code = (key: string, issuedTo: string | null) =>
        client.query(
          `INSERT INTO "Voucher" (id, "editionId", code, "codeKey", effect, "maxUses", tag, "issuedTo",
          "updatedAt") VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000e001', $1, $1, 'FREE', 1,
          'speakers', $2, now())`,
          [key, issuedTo],
        );
      await code("FREEA", null);
      await code("FREEB", null);
      await code("ADAPASS", "ada@example.org");
      await expect(code("ADAPASS2", "ada@example.org")).rejects.toThrow(/Voucher_editionId_tag_issuedTo_key/);
      // The waiting list: every block, the one from before included, is a block (not an offer's); every edition
      // shows the list when sold out, offers automatically, for 24 h; nobody waits yet.
      expect((await client.query(`SELECT name, kind FROM "SeatAllocation" ORDER BY name`)).rows).toEqual([
        { name: "Early sponsor", kind: "BLOCK" },
        { name: "Sponsor", kind: "BLOCK" },
      ]);
      const list = await client.query(`SELECT "waitingListOpen" AS open, "waitingListPaused" AS paused,
        "waitingListOfferHours" AS hours, (SELECT count(*)::int FROM "WaitingListEntry") AS entries FROM "Edition"`);
      expect(list.rows).toEqual([{ open: true, paused: false, hours: 24, entries: 0 }]);
      await expect(client.query(`UPDATE "Edition" SET "waitingListOfferHours" = 169`)).rejects.toThrow(
        /Edition_waitingListOfferHours/,
      );
      // Seats freed with nobody waiting go back on sale as before.
      await client.query(`UPDATE "Order" SET status = 'CANCELLED' WHERE status = 'PENDING'`);
      expect((await client.query(`SELECT held, reserved FROM "EditionSeats"`)).rows).toEqual([
        { held: 0, reserved: 9 },
      ]);
      // Messages (issue 19): no edition sends practical information until told to; tickets read in their order's
      // language; the settings keep their shapes.
      const practical = await client.query(`SELECT "practicalInfoDays" AS days, "practicalInfoTime" AS time,
        "scheduleUrl", "mapUrl", (SELECT count(*)::int FROM "Ticket" WHERE locale IS NOT NULL) AS "ownLocale",
        guichet_practical_info_due(e) AS due FROM "Edition" e`);
      expect(practical.rows).toEqual([
        { days: null, time: "10:00", scheduleUrl: null, mapUrl: null, ownLocale: 0, due: null },
      ]);
      for (const [change, constraint] of [
        [`"practicalInfoDays" = 31`, "Edition_practicalInfoDays"],
        [`"practicalInfoTime" = '24:00'`, "Edition_practicalInfoTime"],
        [`"scheduleUrl" = 'http://example.org/schedule'`, "Edition_links_https"],
        [`"mapUrl" = 'javascript:alert(1)'`, "Edition_links_https"],
      ]) {
        await expect(client.query(`UPDATE "Edition" SET ${change}`)).rejects.toThrow(new RegExp(constraint));
      }
      // Due two days before a start just after the spring change, at 10:00 of a day still in winter time (UTC+1).
      const due = await client.query(`UPDATE "Edition" SET "startsAt" = '2027-03-29T08:00:00Z',
        "endsAt" = '2027-03-29T16:00:00Z', "practicalInfoDays" = 2, "scheduleUrl" = 'https://example.org/s'
        RETURNING guichet_practical_info_due("Edition") AS due`);
      expect(due.rows[0].due.toISOString()).toBe("2027-03-27T09:00:00.000Z");
      const message = (kind: string, status = "DRAFT") =>
        client.query(`INSERT INTO "Message" (id, "editionId", kind, audience, essential, status, "updatedAt")
          VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000e001', '${kind}', 'ATTENDEES',
          ${kind !== "CUSTOM"}, '${status}', now())`);
      await message("CUSTOM");
      await message("CUSTOM");
      await message("PRACTICAL_INFO");
      await expect(message("PRACTICAL_INFO")).rejects.toThrow(/Message_standing_key/);
      await expect(message("CUSTOM", "SCHEDULED")).rejects.toThrow(/Message_scheduled_has_time/);
      await expect(
        client.query(`UPDATE "Message" SET essential = false WHERE kind = 'PRACTICAL_INFO'`),
      ).rejects.toThrow(/Message_standing_essential/);
      await expect(
        client.query(`INSERT INTO "CertificateSettings" ("editionId", enabled, minutes, "updatedAt")
          VALUES ('00000000-0000-4000-8000-00000000e001', true, 450, now())`),
      ).rejects.toThrow(/CertificateSettings_complete/);
      // Running it for real (issue 20): no email knows its request, nothing is erased, every edition keeps its
      // attendees 12 months after it ends, and no sweep has run yet.
      const erased = await client.query(`SELECT (SELECT count(*)::int FROM "EmailOutbox" WHERE "requestId" IS NOT NULL)
        AS "withRequest", (SELECT count(*)::int FROM "Ticket" WHERE "erasedAt" IS NOT NULL)
        + (SELECT count(*)::int FROM "Order" WHERE "erasedAt" IS NOT NULL)
        + (SELECT count(*)::int FROM "AuditEntry" WHERE "erasedAt" IS NOT NULL) AS erased,
        (SELECT count(*)::int FROM "SweepRun") + (SELECT count(*)::int FROM "PrivacyRequest") AS rows`);
      expect(erased.rows).toEqual([{ withRequest: 0, erased: 0, rows: 0 }]);
      const retention = await client.query(`SELECT DISTINCT "retentionMonths", "anonymisedAt" FROM "Edition"`);
      expect(retention.rows).toEqual([{ retentionMonths: 12, anonymisedAt: null }]);
      await expect(client.query(`UPDATE "Edition" SET "retentionMonths" = 0`)).rejects.toThrow(/retentionMonths/);
    });
  });
});
