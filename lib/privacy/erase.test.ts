import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { recordAudit } from "@/lib/audit/record";
import { upsertUser } from "@/lib/auth/users";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { recordScan } from "@/lib/checkin/scan";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { getOrderByAccessToken, getTicketByAccessToken } from "@/lib/orders/queries";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode } from "@/lib/tickets/codes";
import { eraseAddress } from "./erase";
import { requestErasure } from "./requests";

const { db } = await useTestDatabase();
const { stripe, payOrder } = await useLocalStripe();
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const admin = await upsertUser(db, { email: "dpo@example.org", role: "ADMIN" });
expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });

const person = (firstName: string, email: string, lastName = "Lovelace") => ({
  firstName,
  lastName,
  email,
  company: "Acme",
});
const scan = (editionId: string, code: string) =>
  recordScan(
    db,
    [{ publicKey }],
    editionId,
    { userId: null, apiTokenId: null },
    {
      nonce: randomUUID(),
      deviceId: "door-1",
      offlineAdmitted: false,
      code,
    },
  );

/** Everything the address holds across four editions, the way people come to hold it. */
async function world() {
  const address = `Ada.${randomUUID()}@Example.org`;
  const key = address.toLowerCase();
  const colleague = `grace.${randomUUID()}@example.org`;
  const questions = [{ key: "diet", type: "TEXT" as const }];
  const types = [{ code: "free" }, { code: "paid", priceCents: 4900 }];

  // A group the address bought for an organisation, paid by card: invoiced; it holds one ticket, a colleague the other.
  const main = await createEdition(db, { capacity: 10, ticketTypes: types, questions });
  const group = await registerAttendee(
    db,
    main.slug,
    {
      buyer: person("Ada", address),
      tickets: [
        { ticketType: "paid", attendee: person("Ada", address), answers: { diet: "vegan" } },
        { ticketType: "paid", attendee: person("Grace", colleague, "Hopper"), answers: { diet: "none" } },
      ],
      billing: companyBilling,
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!group.ok) throw new Error(JSON.stringify(group));
  await payOrder(db, group.order.id);
  const [own, colleagues] = await db.ticket.findMany({
    where: { orderId: group.order.id },
    orderBy: { position: "asc" },
  });
  const code = signTicketCode({ ticketId: own.id, editionId: main.id, codeVersion: own.codeVersion }, privateKey);
  expect(await scan(main.id, code)).toMatchObject({ result: "admitted" });
  await db.$transaction((tx) =>
    recordAudit(
      tx,
      { id: null, email: address },
      {
        editionId: main.id,
        action: "attendee.edited",
        subjectType: "ticket",
        subjectId: own.id,
        before: { firstName: "Ada", company: "Acme", answers: { diet: "meat" } },
        after: { firstName: "Ada", company: "Acme Corp", answers: { diet: "vegan" }, note: `asked by ${address}` },
      },
    ),
  );
  // The colleague's ticket's history names its buyer (by name only): the buyer goes, the colleague stays.
  await db.$transaction((tx) =>
    recordAudit(
      tx,
      { id: null, email: colleague },
      {
        editionId: main.id,
        action: "attendee.edited",
        subjectType: "ticket",
        subjectId: colleagues.id,
        before: { firstName: "Grace", buyer: { firstName: "Ada", lastName: "Lovelace" } },
        after: { firstName: "Grace", company: "Hopper & Co", buyer: { firstName: "Ada", lastName: "Lovelace" } },
      },
    ),
  );

  // A group the colleague bought, holding a ticket named for the address: its cancellation is told to the colleague.
  const shared = await createEdition(db, { capacity: 10, ticketTypes: types });
  const theirs = await registerAttendee(
    db,
    shared.slug,
    {
      buyer: person("Grace", colleague, "Hopper"),
      tickets: [
        { ticketType: "free", attendee: person("Grace", colleague, "Hopper") },
        { ticketType: "free", attendee: person("Ada", address) },
      ],
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!theirs.ok) throw new Error(JSON.stringify(theirs));

  // A sold-out edition whose one seat is the address's: someone waits for it.
  const full = await createEdition(db, { capacity: 1, ticketTypes: types });
  const seat = await registerAttendee(
    db,
    full.slug,
    { ...onePerson(address), ticketType: "free" },
    { holdMinutes: 35 },
  );
  if (!seat.ok) throw new Error(JSON.stringify(seat));
  const waiting = await addTestEntry(db, full);
  const ownEntry = await db.waitingListEntry.create({
    data: {
      editionId: (await createEdition(db, { capacity: 1, ticketTypes: types })).id,
      name: "Ada Lovelace",
      email: address,
      emailKey: key,
      locale: "en",
      seatsWanted: 1,
      token: randomUUID(),
    },
  });

  // An unpaid order, billed to an organisation too (no invoice yet), and a ticket of an edition that ended.
  const later = await createEdition(db, { capacity: 10, ticketTypes: types });
  const unpaid = await registerAttendee(
    db,
    later.slug,
    { ...onePerson(address), ticketType: "paid", billing: companyBilling },
    { holdMinutes: 35 },
  );
  if (!unpaid.ok) throw new Error(JSON.stringify(unpaid));
  const past = await createEdition(db, { capacity: 10, ticketTypes: types });
  const old = await registerAttendee(db, past.slug, { ...onePerson(address), ticketType: "free" }, { holdMinutes: 35 });
  if (!old.ok) throw new Error(JSON.stringify(old));
  await db.edition.update({
    where: { id: past.id },
    data: { startsAt: new Date("2025-03-01T08:00:00Z"), endsAt: new Date("2025-03-01T17:00:00Z") },
  });
  await db.rateLimit.create({ data: { key: `lost-ticket:email:${key}`, windowStart: new Date(), count: 1 } });
  const voucherCode = `SPEAK-${randomUUID().slice(0, 8).toUpperCase()}`;
  const voucher = await db.voucher.create({
    data: {
      editionId: main.id,
      code: voucherCode,
      codeKey: voucherCode.replace("-", ""),
      effect: "PERCENT_OFF",
      percentOff: 100,
      tag: "speakers",
      issuedTo: key,
    },
  });
  const message = await db.message.create({ data: { editionId: main.id, audience: "ATTENDEES", subjectEn: "Hello" } });
  const recipient = await db.messageRecipient.create({
    data: { messageId: message.id, emailKey: key, toAddress: address, firstName: "Ada", locale: "en" },
  });

  return {
    address,
    key,
    main,
    full,
    group,
    theirs,
    own,
    colleagues,
    code,
    seat,
    waiting,
    ownEntry,
    unpaid,
    old,
    voucher,
    recipient,
  };
}

function onePerson(address: string) {
  return { attendee: person("Ada", address), locale: "fr" };
}

const invoiceRows = () =>
  db.$queryRaw<{ row: string }[]>`SELECT row_to_json(i)::text AS row FROM "Invoice" i ORDER BY id`;
const tableCounts = () =>
  db.$queryRaw<{ tickets: bigint; orders: bigint; entries: bigint; billing: bigint; scans: bigint }[]>`
    SELECT (SELECT count(*) FROM "Ticket") AS tickets, (SELECT count(*) FROM "Order") AS orders,
           (SELECT count(*) FROM "WaitingListEntry") AS entries, (SELECT count(*) FROM "OrderBilling") AS billing,
           (SELECT count(*) FROM "CheckInScan") AS scans`;

/** The tables (but `except`) with a row whose JSON holds one of `names` as a word, each with such a row. */
async function rowsNaming(names: string[], except: string[]) {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  const pattern = `\\m(${names.join("|")})\\M`;
  const found: { table: string; row: string }[] = [];
  for (const { name } of tables.filter((table) => !except.includes(table.name))) {
    const rows = await db.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(x)::text AS row FROM "${name}" x WHERE row_to_json(x)::text ~ $1 LIMIT 1`,
      pattern,
    );
    found.push(...rows.map((row) => ({ table: name, row: row.row })));
  }
  return found;
}

describe("erasing an address", () => {
  it("cancels what is live, then anonymises every row it holds, invoices and counts unchanged", async () => {
    const w = await world();
    const requested = await db.$transaction((tx) => requestErasure(tx, w.key, new Date()));
    const invoicesBefore = await invoiceRows();
    expect(invoicesBefore.length).toBeGreaterThan(0);
    const countsBefore = await tableCounts();
    const oldLinks = {
      ticket: w.own.accessToken!,
      order: w.group.order.accessToken,
      entry: w.ownEntry.token,
    };

    const erasure = await eraseAddress(db, stripe, w.key, admin, new Date());
    expect(erasure.requestId).toBe(requested.id);
    // Its own ticket of each group, its solo ticket in the full edition; the colleague's tickets stay.
    expect(erasure.cancelled).toEqual({ done: 3, skipped: {} });
    expect(erasure.released).toBe(1);
    expect(erasure.removedFromWaitingList).toBe(1);

    // Counts unchanged (but the unpaid order's billing, never invoiced), invoices byte for byte.
    expect(await tableCounts()).toEqual([{ ...countsBefore[0], billing: countsBefore[0].billing - 1n }]);
    expect(await invoiceRows()).toEqual(invoicesBefore);

    const oldTicket = await db.ticket.findFirstOrThrow({ where: { orderId: w.old.order.id } });
    const tickets = await db.ticket.findMany({
      where: { orderId: { in: [w.seat.order.id, w.old.order.id, w.unpaid.order.id] } },
    });
    tickets.push(await db.ticket.findUniqueOrThrow({ where: { id: w.own.id } }));
    expect(tickets).toHaveLength(4);
    for (const ticket of tickets) {
      expect(ticket).toMatchObject({
        firstName: "—",
        lastName: "—",
        email: `erased+${ticket.id}@invalid`,
        company: null,
        answers: {},
        erasedAt: expect.any(Date),
      });
    }
    const statuses = Object.fromEntries(tickets.map((ticket) => [ticket.id, ticket.status]));
    expect(statuses[w.own.id]).toBe("CANCELLED");
    expect(statuses[oldTicket.id]).toBe("ACTIVE");
    expect(await getTicketByAccessToken(db, oldLinks.ticket)).toBeNull();
    expect(await db.ticket.findUniqueOrThrow({ where: { id: w.colleagues.id } })).toMatchObject({
      firstName: "Grace",
      status: "ACTIVE",
      answers: { diet: "none" },
      erasedAt: null,
    });

    const order = await db.order.findUniqueOrThrow({ where: { id: w.group.order.id }, include: { billing: true } });
    expect(order).toMatchObject({
      buyerFirstName: "—",
      buyerLastName: "—",
      buyerEmail: `erased+${order.id}@invalid`,
      buyerCompany: null,
      heldByClient: null,
      idempotencyKey: null,
      payToken: null,
      status: "CONFIRMED",
      erasedAt: expect.any(Date),
    });
    expect(order.billing).toMatchObject({ organisation: companyBilling.organisation });
    expect(await getOrderByAccessToken(db, oldLinks.order)).toBeNull();
    const released = await db.order.findUniqueOrThrow({ where: { id: w.unpaid.order.id }, include: { billing: true } });
    expect(released).toMatchObject({ status: "CANCELLED", billing: null, buyerFirstName: "—" });

    // The seat came back and went to the one waiting; its own entry left the line.
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: w.waiting.id } })).toMatchObject({
      status: "OFFERED",
    });
    const entry = await db.waitingListEntry.findUniqueOrThrow({ where: { id: w.ownEntry.id } });
    expect(entry).toMatchObject({ status: "REMOVED", removedBy: "erased", name: "—", erasedAt: expect.any(Date) });
    expect(entry.email).toBe(`erased+${entry.id}@invalid`);
    expect(entry.token).not.toBe(oldLinks.entry);
    expect(await seatCounterDrift(db)).toEqual([]);

    // The door: the old code answers cancelled; the earlier scan no longer names anyone.
    expect(await scan(w.main.id, w.code)).toMatchObject({ result: "cancelled" });
    const firstScan = await db.checkInScan.findFirstOrThrow({
      where: { ticketId: w.own.id, result: "ADMITTED" },
    });
    expect(firstScan.answer).not.toHaveProperty("attendee");

    // Nothing holds the address any more, but the opt-out's hash and the invoices.
    const [left] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM "Ticket" WHERE email ILIKE ${w.address})
           + (SELECT count(*) FROM "Order" WHERE "buyerEmail" ILIKE ${w.address})
           + (SELECT count(*) FROM "WaitingListEntry" WHERE email ILIKE ${w.address})
           + (SELECT count(*) FROM "EmailOutbox"
               WHERE "toAddress" ILIKE ${w.address} OR payload::text ILIKE ${"%" + w.key + "%"})
           + (SELECT count(*) FROM "AuditEntry" WHERE "actorEmail" ILIKE ${w.address}
                OR before::text ILIKE ${"%" + w.key + "%"} OR after::text ILIKE ${"%" + w.key + "%"})
           + (SELECT count(*) FROM "RateLimit" WHERE key ILIKE ${"%" + w.key})
           + (SELECT count(*) FROM "PrivacyRequest" WHERE email IS NOT NULL) AS n`;
    expect(left.n).toBe(0n);
    const edited = await db.auditEntry.findFirstOrThrow({
      where: { subjectId: w.own.id, action: "attendee.edited" },
    });
    // Nor its name, but in the invoice and the billing it printed: the colleague's email about its ticket included.
    const told = await db.emailOutbox.findFirstOrThrow({
      where: { orderId: w.theirs.order.id, kind: "order_cancelled" },
    });
    expect(told.payload).toMatchObject({ ticket: { holder: "—" } });
    expect(await rowsNaming(["Ada", "Lovelace"], ["Invoice", "OrderBilling"])).toEqual([]);
    const colleagueEdit = await db.auditEntry.findFirstOrThrow({
      where: { subjectId: w.colleagues.id, action: "attendee.edited" },
    });
    expect(colleagueEdit).toMatchObject({
      before: { firstName: "Grace", buyer: "█" },
      after: { firstName: "Grace", company: "Hopper & Co", buyer: "█" },
    });
    expect(edited).toMatchObject({
      before: { firstName: "█", company: "█", answers: "█" },
      after: { firstName: "█", company: "█", answers: "█", note: "asked by █" },
      actorEmail: `erased+${edited.id}@invalid`,
      erasedAt: expect.any(Date),
    });
    expect(await db.emailOutbox.count({ where: { dedupeKey: { startsWith: "erased:" }, status: "PENDING" } })).toBe(0);
    expect(await db.voucher.findUniqueOrThrow({ where: { id: w.voucher.id } })).toMatchObject({ issuedTo: null });
    expect(await db.messageRecipient.findUniqueOrThrow({ where: { id: w.recipient.id } })).toMatchObject({
      toAddress: `erased+${w.recipient.id}@invalid`,
      emailKey: `erased+${w.recipient.id}@invalid`,
      firstName: "—",
    });
    expect(await db.privacyRequest.findUniqueOrThrow({ where: { id: requested.id } })).toMatchObject({
      status: "DONE",
      email: null,
      completedById: admin.id,
    });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "privacy.erased", subjectId: requested.id },
    });
    expect(audit.after).toMatchObject({
      tickets: 5,
      orders: 4,
      waitingList: 1,
      rateLimits: 1,
      cancelled: 3,
      vouchers: 1,
      messageRecipients: 1,
    });
    expect(JSON.stringify(audit)).not.toContain(w.key);

    // Again: nothing left to do, and the organiser's own request is recorded.
    const again = await eraseAddress(db, stripe, w.key, admin, new Date());
    expect(again.cancelled.done + again.released + again.removedFromWaitingList).toBe(0);
    expect(Object.values(again.anonymised).every((count) => count === 0)).toBe(true);
    expect(again.requestId).not.toBe(requested.id);
  });
});
