import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cancelAttendee } from "@/lib/attendees/manage";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { confirmedSeatWhere } from "@/lib/capacity/seats";
import { registerAttendee } from "@/lib/orders/register";
import { refundOrder } from "@/lib/payments/refunds";
import { signTicketCode } from "@/lib/tickets/codes";
import { attendeeRequest, createEdition, snapshotAsSent } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { doorScannerAt } from "./access";
import { admitGroup, groupRequestSchema } from "./group-check-in";
import { checkInCounts, recordScan, undoCheckIn, type Scanner, type ScanRequest } from "./scan";

const { db } = await useTestDatabase(20);
const { stripe, payOrder } = await useLocalStripe();
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const verifyKeys = [{ publicKey }];
const staff: Scanner = { userId: null, apiTokenId: null };
const actor = { id: "00000000-0000-4000-8000-000000000003", email: "organiser@example.org" };

type Edition = Awaited<ReturnType<typeof createEdition>>;

const codeOf = (ticket: { id: string; editionId: string; codeVersion: number }) =>
  signTicketCode({ ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion }, privateKey);

const scan = (editionId: string, request: Partial<ScanRequest>, scanner = staff, now?: Date) =>
  recordScan(
    db,
    verifyKeys,
    editionId,
    scanner,
    { nonce: randomUUID(), deviceId: "door-1", ...request } as ScanRequest,
    now,
  );

async function order(edition: Edition, { tickets = 1, paid = false } = {}) {
  const type = paid ? "paid" : "free";
  const placed = await registerAttendee(
    db,
    edition.slug,
    tickets === 1
      ? attendeeRequest(type, randomUUID())
      : {
          buyer: { firstName: "Bea", lastName: "Buyer", email: `bea.${randomUUID()}@example.org`, company: null },
          locale: "en",
          tickets: Array.from({ length: tickets }, (_, i) => ({
            ticketType: type,
            attendee: { firstName: "Ada", lastName: `Member ${i}`, email: `m${i}.${randomUUID()}@example.org` },
          })),
        },
    { holdMinutes: 35 },
  );
  if (!placed.ok) throw new Error(placed.reason);
  if (paid) await payOrder(db, placed.order.id);
  const rows = await db.ticket.findMany({ where: { orderId: placed.order.id }, orderBy: { position: "asc" } });
  return { orderId: placed.order.id, accessToken: placed.order.accessToken, tickets: rows };
}

/** The door's numbers as a full count over the edition's tickets would give them (what the tally replaces). */
async function exactCounts(editionId: string) {
  const live = { editionId, ...confirmedSeatWhere };
  const [checkedIn, expected] = await Promise.all([
    db.ticket.count({ where: { ...live, checkedInAt: { not: null } } }),
    db.ticket.count({ where: live }),
  ]);
  return { checkedIn, expected };
}

async function expectInStep(editionId: string, checkedIn: number) {
  const counts = await checkInCounts(db, editionId);
  expect(counts).toEqual(await exactCounts(editionId));
  expect(counts.checkedIn).toBe(checkedIn);
}

describe("the door's counts", () => {
  it("stay equal to a full count through every path that lets a ticket in or takes it out", async () => {
    const edition = await createEdition(db, {
      capacity: 40,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    });
    const single = await order(edition);
    const team = await order(edition, { tickets: 3 });
    const paid = await order(edition, { paid: true });
    await expectInStep(edition.id, 0);

    expect(await scan(edition.id, { code: codeOf(single.tickets[0]) })).toMatchObject({
      result: "admitted",
      counts: { checkedIn: 1, expected: 5 },
    });
    await expectInStep(edition.id, 1);
    // Refused and repeated scans count nothing.
    expect((await scan(edition.id, { code: codeOf(single.tickets[0]), deviceId: "door-2" })).result).toBe(
      "already_checked_in",
    );
    await expectInStep(edition.id, 1);

    const [lead, ...others] = team.tickets;
    await scan(edition.id, { code: codeOf(lead), deviceId: "door-2" });
    const group = await admitGroup(
      db,
      verifyKeys,
      edition.id,
      staff,
      groupRequestSchema.parse({
        ticketIds: others.map((ticket) => ticket.id),
        nonce: randomUUID(),
        deviceId: "door-2",
        viaTicketId: lead.id,
      }),
    );
    expect(Array.isArray(group) && group.map((answer) => answer.result)).toEqual(["admitted", "admitted"]);
    await expectInStep(edition.id, 4);

    await scan(edition.id, { code: codeOf(paid.tickets[0]) });
    await expectInStep(edition.id, 5);

    expect(await undoCheckIn(db, actor, edition.id, single.tickets[0].id)).toEqual({ ok: true });
    await expectInStep(edition.id, 4);

    // A ticket voided after it was let in no longer counts, nor does a refunded order's.
    expect(await cancelAttendee(db, stripe, actor, edition.id, others[0].id, { refund: false })).toMatchObject({
      ok: true,
    });
    await expectInStep(edition.id, 3);
    expect(await refundOrder(db, stripe, paid.orderId, { reason: "organiser" })).toBe("refunded");
    await expectInStep(edition.id, 2);

    // Writers outside the app's paths (seeds, tests, tools) go through the same triggers.
    await db.ticket.update({ where: { id: single.tickets[0].id }, data: { checkedInAt: new Date() } });
    await expectInStep(edition.id, 3);
    await db.$executeRaw`UPDATE "Order" SET status = 'CANCELLED' WHERE id = ${team.orderId}::uuid`;
    await expectInStep(edition.id, 1);
    await db.$executeRaw`UPDATE "Order" SET status = 'CONFIRMED' WHERE id = ${team.orderId}::uuid`;
    await expectInStep(edition.id, 3);
    const seeded = await db.order.create({
      data: {
        reference: `SEED-${randomUUID().slice(0, 8)}`,
        accessToken: `seed-${randomUUID()}`,
        editionId: edition.id,
        buyerFirstName: "Sam",
        buyerLastName: "Seed",
        buyerEmail: `sam.${randomUUID()}@example.org`,
        locale: "en",
        status: "CONFIRMED",
        confirmedAt: new Date(),
        amountCents: 0,
        currency: "EUR",
        tickets: {
          create: [1, 2].map((position) => ({
            position,
            editionId: edition.id,
            ticketTypeId: edition.ticketTypes[0].id,
            firstName: "Sam",
            lastName: `Seed ${position}`,
            email: `sam${position}.${randomUUID()}@example.org`,
            priceCents: 0,
            checkedInAt: position === 1 ? new Date() : null,
          })),
        },
      },
    });
    await expectInStep(edition.id, 4);
    await db.order.delete({ where: { id: seeded.id } });
    await expectInStep(edition.id, 3);
    await db.ticket.delete({ where: { id: single.tickets[0].id } });
    await expectInStep(edition.id, 2);

    // The offline snapshot carries the same numbers.
    expect((await snapshotAsSent(db, edition, verifyKeys)).counts).toEqual(await exactCounts(edition.id));
  });

  it("of ten devices scanning the same tickets at once, each writes only its own tally row", async () => {
    const edition = await createEdition(db, { capacity: 60 });
    const tickets = (await Promise.all(Array.from({ length: 30 }, () => order(edition)))).flatMap((o) => o.tickets);
    const devices = Array.from({ length: 10 }, (_, i) => `phone-${i}`);
    // Each phone scans its own third of the tickets, and its neighbour scans the same ones at about the same time.
    const answers = await Promise.all(
      devices.map(async (deviceId, d) => {
        const mine = tickets.filter((_, i) => i % 10 === d || i % 10 === (d + 9) % 10);
        const results: string[] = [];
        for (const ticket of mine) results.push((await scan(edition.id, { code: codeOf(ticket), deviceId })).result);
        return results;
      }),
    );
    expect(answers.flat().filter((result) => result === "admitted")).toHaveLength(30);
    await expectInStep(edition.id, 30);
    const rows = await db.checkInTally.findMany({ where: { editionId: edition.id } });
    expect(rows.every((row) => row.source.startsWith("device:-:phone-"))).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.checkedIn, 0)).toBe(30);
  });
});

describe("a device token at the door", () => {
  async function deviceAt(edition: Edition) {
    const organiser = await upsertUser(db, { email: `door.${randomUUID()}@example.org`, role: "ORGANISER" });
    const created = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId: edition.id });
    if (!created.ok || !created.token) throw new Error("no token");
    const access = await doorScannerAt(db, `Bearer ${created.token}`, edition.id);
    if (!access.ok) throw new Error(access.reason);
    return { organiser, header: `Bearer ${created.token}`, scanner: access.scanner };
  }

  it("is refused at its very next scan once revoked, though the door still remembers it", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const [first, second] = (await Promise.all([order(edition), order(edition)])).map((o) => o.tickets[0]);
    const { organiser, header, scanner } = await deviceAt(edition);
    expect((await scan(edition.id, { code: codeOf(first) }, scanner)).result).toBe("admitted");
    const nonce = randomUUID();
    expect((await revokeApiToken(db, { ...organiser, role: "ORGANISER" }, scanner.apiTokenId!)).ok).toBe(true);
    // The identity is remembered for a few seconds; the scan itself checks the token.
    expect(await doorScannerAt(db, header, edition.id)).toEqual({ ok: true, scanner });
    expect(await scan(edition.id, { code: codeOf(second), nonce }, scanner)).toEqual({
      result: "scanner_refused",
      replayed: false,
    });
    expect(await db.checkInScan.count({ where: { nonce } })).toBe(0);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: second.id } })).checkedInAt).toBeNull();
  });

  it("is refused once its creator is disabled, and at another edition's door", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const ticket = (await order(edition)).tickets[0];
    const disabled = await deviceAt(edition);
    await db.user.update({ where: { id: disabled.organiser.id }, data: { disabledAt: new Date() } });
    expect((await scan(edition.id, { code: codeOf(ticket) }, disabled.scanner)).result).toBe("scanner_refused");
    const other = await createEdition(db, { capacity: 5 });
    const elsewhere = await deviceAt(other);
    expect((await scan(edition.id, { code: codeOf(ticket) }, elsewhere.scanner)).result).toBe("scanner_refused");
  });

  it("notes when it was last used at most once a minute, not at every scan", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const tickets = (await Promise.all([order(edition), order(edition), order(edition)])).map((o) => o.tickets[0]);
    const { scanner } = await deviceAt(edition);
    const lastUsed = async () =>
      (await db.apiToken.findUniqueOrThrow({ where: { id: scanner.apiTokenId! } })).lastUsedAt?.toISOString();
    const at = new Date("2027-05-20T08:00:00Z");
    await scan(edition.id, { code: codeOf(tickets[0]) }, scanner, at);
    expect(await lastUsed()).toBe(at.toISOString());
    await scan(edition.id, { code: codeOf(tickets[1]) }, scanner, new Date(at.getTime() + 30_000));
    expect(await lastUsed()).toBe(at.toISOString());
    const later = new Date(at.getTime() + 61_000);
    await scan(edition.id, { code: codeOf(tickets[2]) }, scanner, later);
    expect(await lastUsed()).toBe(later.toISOString());
  });
});
