import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cancelAttendee } from "@/lib/attendees/manage";
import { parseAttendeeFilter } from "@/lib/attendees/query";
import type { Db } from "@/lib/db/prisma";
import { registerAttendee } from "@/lib/orders/register";
import { refundOrder } from "@/lib/payments/refunds";
import { signTicketCode } from "@/lib/tickets/codes";
import { transferTicket } from "@/lib/tickets/self-service";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { searchForCheckIn } from "./snapshot";
import { doorVerdict, recordScan, undoCheckIn, type Scanner, type ScanRequest } from "./scan";

const { db } = await useTestDatabase(20);
const { stripe, payOrder } = await useLocalStripe();
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const verifyKeys = [{ publicKey }];
const staff = { userId: null, apiTokenId: null };
const actor = { id: "00000000-0000-4000-8000-000000000003", email: "organiser@example.org" };

async function ticketAt(capacity = 10, { paid = false } = {}) {
  const edition = await createEdition(db, {
    capacity,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  const result = await registerAttendee(db, edition.slug, attendeeRequest(paid ? "paid" : "free", randomUUID()), {
    holdMinutes: 35,
  });
  if (!result.ok) throw new Error(result.reason);
  if (paid) await payOrder(db, result.order.id);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
  return {
    edition,
    ticket,
    order: result.order,
    code: signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion }, privateKey),
  };
}

const scanAs = (through: Db, scanner: Scanner, editionId: string, request: Partial<ScanRequest>, now?: Date) =>
  recordScan(
    through,
    verifyKeys,
    editionId,
    scanner,
    { nonce: randomUUID(), deviceId: "door-1", offlineAdmitted: false, ...request },
    now,
  );
const scan = (editionId: string, request: Partial<ScanRequest>, now?: Date) =>
  scanAs(db, staff, editionId, request, now);

/**
 * The database as recordScan sees it, with `meanwhile` run (through the real domain path) just
 * before its statement starts: the moment between reading the request and admitting.
 */
function withChangeBeforeAdmission(meanwhile: () => Promise<unknown>): Db {
  let fired = false;
  return new Proxy(db, {
    get(target, property) {
      if (property !== "$queryRaw" || fired) return Reflect.get(target, property);
      return async (...args: Parameters<Db["$queryRaw"]>) => {
        fired = true;
        await meanwhile();
        return target.$queryRaw(...args);
      };
    },
  });
}

const transferee = () => ({
  firstName: "Grace",
  lastName: "Hopper",
  email: `grace.${randomUUID()}@example.org`,
  company: "Navy",
});

describe("check-in at the door", () => {
  it("admits a valid ticket once, then says when and by which device it was admitted", async () => {
    const { edition, ticket, code } = await ticketAt();
    const first = await scan(edition.id, { code, deviceId: "door-1" });
    expect(first).toMatchObject({
      result: "admitted",
      ticketId: ticket.id,
      attendee: { name: `Ada Lovelace ${ticket.lastName!.split(" ")[1]}`, company: "Analytical" },
      counts: { checkedIn: 1, expected: 1 },
      replayed: false,
    });
    const second = await scan(edition.id, { code, deviceId: "door-2" });
    expect(second).toMatchObject({
      result: "already_checked_in",
      by: { deviceId: "door-1" },
      checkedInAt: first.result === "admitted" ? first.checkedInAt : "",
    });
    expect(await db.checkInScan.count({ where: { editionId: edition.id } })).toBe(2);
  });

  it("of ten devices scanning one ticket at the same moment, exactly one admits it", async () => {
    const { edition, ticket, code } = await ticketAt();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => scan(edition.id, { code, deviceId: `door-${i}` })),
    );
    expect(answers.filter((answer) => answer.result === "admitted")).toHaveLength(1);
    expect(answers.filter((answer) => answer.result === "already_checked_in")).toHaveLength(9);
    const scans = await db.checkInScan.findMany({ where: { ticketId: ticket.id } });
    expect(scans.filter((row) => row.result === "ADMITTED")).toHaveLength(1);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInScanId).toBe(
      scans.find((row) => row.result === "ADMITTED")!.id,
    );
  });

  it("answers a retried request (same nonce) as the first time and records it once, even concurrently", async () => {
    const { edition, code } = await ticketAt();
    const nonce = randomUUID();
    const [a, b] = await Promise.all([scan(edition.id, { code, nonce }), scan(edition.id, { code, nonce })]);
    const c = await scan(edition.id, { code, nonce });
    expect([a.result, b.result, c.result]).toEqual(["admitted", "admitted", "admitted"]);
    expect([a.replayed, b.replayed, c.replayed].filter(Boolean)).toHaveLength(2);
    expect(await db.checkInScan.count({ where: { nonce } })).toBe(1);
  });

  it("refuses forged, malformed, foreign and unknown codes, and keeps every refusal", async () => {
    const { edition, ticket, code } = await ticketAt();
    const other = await ticketAt();
    const tampered = code.slice(0, 40) + (code[40] === "A" ? "B" : "A") + code.slice(41);
    const { privateKey: strangerKey } = generateKeyPairSync("ed25519");
    expect((await scan(edition.id, { code: tampered })).result).toBe("forged");
    expect((await scan(edition.id, { code: "https://example.org/not-a-ticket" })).result).toBe("forged");
    expect(
      (
        await scan(edition.id, {
          code: signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: 1 }, strangerKey),
        })
      ).result,
    ).toBe("forged");
    expect(await scan(edition.id, { code: other.code })).toMatchObject({
      result: "wrong_edition",
      edition: { nameFr: other.edition.nameFr, nameEn: other.edition.nameEn },
    });
    // Signed by us for an edition since deleted: still the wrong edition, just not named.
    const gone = signTicketCode({ ticketId: randomUUID(), editionId: randomUUID(), codeVersion: 1 }, privateKey);
    expect(await scan(edition.id, { code: gone })).toMatchObject({ result: "wrong_edition", edition: null });
    expect(
      (
        await scan(edition.id, {
          code: signTicketCode({ ticketId: randomUUID(), editionId: edition.id, codeVersion: 1 }, privateKey),
        })
      ).result,
    ).toBe("unknown");
    expect(
      (await db.checkInScan.findMany({ where: { editionId: edition.id } })).map((row) => row.result).sort(),
    ).toEqual(["FORGED", "FORGED", "FORGED", "UNKNOWN", "WRONG_EDITION", "WRONG_EDITION"]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInAt).toBeNull();
  });

  it("refuses tickets cancelled, refunded and transferred through the real paths, with the reason", async () => {
    const cancelled = await ticketAt();
    expect(
      await cancelAttendee(db, stripe, actor, cancelled.edition.id, cancelled.ticket.id, { refund: false }),
    ).toMatchObject({ ok: true });
    expect(await scan(cancelled.edition.id, { code: cancelled.code })).toMatchObject({
      result: "cancelled",
      reason: "cancelled",
    });
    const refunded = await ticketAt(10, { paid: true });
    expect(await refundOrder(db, stripe, refunded.order.id, { reason: "organiser" })).toBe("refunded");
    expect(await scan(refunded.edition.id, { code: refunded.code })).toMatchObject({
      result: "cancelled",
      reason: "refunded",
    });
    const reissued = await ticketAt();
    expect(await transferTicket(db, reissued.order.accessToken, transferee())).toMatchObject({ ok: true });
    expect(await scan(reissued.edition.id, { code: reissued.code })).toMatchObject({
      result: "cancelled",
      reason: "reissued",
    });
    expect(await doorVerdict(db, verifyKeys, reissued.edition.id, { code: reissued.code })).toMatchObject({
      kind: "cancelled",
      reason: "reissued",
    });
  });

  it("judges after the ticket's lock: a transfer, refund or cancellation just before admission is seen", async () => {
    const transferred = await ticketAt();
    const transfer = () => transferTicket(db, transferred.order.accessToken, transferee());
    const late = await scanAs(withChangeBeforeAdmission(transfer), staff, transferred.edition.id, {
      code: transferred.code,
    });
    expect(late).toMatchObject({ result: "cancelled", reason: "reissued" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: transferred.ticket.id } })).checkedInAt).toBeNull();

    const refunded = await ticketAt(10, { paid: true });
    const refund = () => refundOrder(db, stripe, refunded.order.id, { reason: "organiser" });
    expect(
      await scanAs(withChangeBeforeAdmission(refund), staff, refunded.edition.id, { code: refunded.code }),
    ).toMatchObject({ result: "cancelled", reason: "refunded" });

    const cancelled = await ticketAt();
    const cancel = () =>
      cancelAttendee(db, stripe, actor, cancelled.edition.id, cancelled.ticket.id, { refund: false });
    expect(
      await scanAs(withChangeBeforeAdmission(cancel), staff, cancelled.edition.id, { code: cancelled.code }),
    ).toMatchObject({ result: "cancelled", reason: "cancelled" });
  });

  it("scopes nonces to the edition; refuses a nonce replayed with another request or by another scanner", async () => {
    const first = await ticketAt();
    const second = await ticketAt();
    const nonce = randomUUID();
    expect(await scan(first.edition.id, { code: first.code, nonce })).toMatchObject({
      result: "admitted",
      replayed: false,
    });
    // The same nonce at another edition is that edition's own scan, not a window on the first one's answer.
    const elsewhere = await scan(second.edition.id, { code: second.code, nonce });
    expect(elsewhere).toMatchObject({ result: "admitted", ticketId: second.ticket.id, replayed: false });
    expect(await scan(second.edition.id, { code: first.code, nonce })).toEqual({
      result: "nonce_reused",
      replayed: false,
    });
    expect(await scan(first.edition.id, { code: first.code, nonce, deviceId: "door-2" })).toEqual({
      result: "nonce_reused",
      replayed: false,
    });
    const device = { userId: null, apiTokenId: null };
    expect(
      await scanAs(db, { ...device, userId: randomUUID() }, first.edition.id, { code: first.code, nonce }),
    ).toEqual({ result: "nonce_reused", replayed: false });
    expect(await scan(first.edition.id, { code: first.code, nonce })).toMatchObject({
      result: "admitted",
      replayed: true,
    });
    expect(await db.checkInScan.count({ where: { nonce } })).toBe(2);
  });

  it("keeps a scanner's time within a day before the edition (or today) and never in the future", async () => {
    const now = new Date("2027-05-20T09:00:00Z");
    const early = await ticketAt();
    const earliest = new Date(early.edition.startsAt.getTime() - 24 * 3600_000);
    expect(await scan(early.edition.id, { code: early.code, scannedAt: "0000-01-01T00:00:00Z" }, now)).toMatchObject({
      result: "admitted",
      checkedInAt: earliest.toISOString(),
    });
    const stored = await db.checkInScan.findFirstOrThrow({ where: { ticketId: early.ticket.id } });
    expect(stored.scannedAt).toEqual(earliest);
    const late = await ticketAt();
    expect(await scan(late.edition.id, { code: late.code, scannedAt: "9999-12-31T23:59:59Z" }, now)).toMatchObject({
      checkedInAt: now.toISOString(),
    });
    const inTime = await ticketAt();
    expect(await scan(inTime.edition.id, { code: inTime.code, scannedAt: "2027-05-20T08:30:00Z" }, now)).toMatchObject({
      checkedInAt: "2027-05-20T08:30:00.000Z",
    });
  });

  it("checks in by ticket id for people without their ticket", async () => {
    const { edition, ticket } = await ticketAt();
    expect(await scan(edition.id, { ticketId: ticket.id })).toMatchObject({ result: "admitted" });
    expect(await scan(edition.id, { ticketId: randomUUID() })).toMatchObject({ result: "unknown" });
  });

  it("records scans uploaded after an outage at their own time; flags a ticket let in twice offline", async () => {
    const { edition, ticket, code } = await ticketAt();
    const whileOffline = new Date(Date.now() - 20 * 60_000);
    const uploaded = await scan(edition.id, {
      code,
      deviceId: "door-offline-1",
      scannedAt: whileOffline.toISOString(),
      offlineAdmitted: true,
    });
    expect(uploaded).toMatchObject({ result: "admitted", checkedInAt: whileOffline.toISOString() });
    const secondDevice = await scan(edition.id, {
      code,
      deviceId: "door-offline-2",
      scannedAt: new Date(whileOffline.getTime() + 60_000).toISOString(),
      offlineAdmitted: true,
    });
    expect(secondDevice).toMatchObject({ result: "already_checked_in", by: { deviceId: "door-offline-1" } });
    const scans = await db.checkInScan.findMany({ where: { ticketId: ticket.id }, orderBy: { scannedAt: "asc" } });
    expect(scans.map((row) => [row.offline, row.offlineConflict])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInAt?.toISOString()).toBe(
      whileOffline.toISOString(),
    );
  });

  it("lets an organiser undo a check-in, audited, after which the ticket can be admitted again", async () => {
    const { edition, ticket, code } = await ticketAt();
    await scan(edition.id, { code });
    expect(await undoCheckIn(db, actor, edition.id, ticket.id)).toEqual({ ok: true });
    expect(await undoCheckIn(db, actor, edition.id, ticket.id)).toEqual({ ok: false });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInAt).toBeNull();
    expect(await db.auditEntry.count({ where: { subjectId: ticket.id, action: "attendee.check_in_undone" } })).toBe(1);
    expect((await scan(edition.id, { code })).result).toBe("admitted");
  });
});

describe("finding people without their ticket", () => {
  it("takes % and _ literally, and ignores a query Postgres could not take", async () => {
    const { edition } = await ticketAt();
    expect((await searchForCheckIn(db, edition.id, "Lovelace")).length).toBe(1);
    expect(await searchForCheckIn(db, edition.id, "%%")).toEqual([]);
    expect(await searchForCheckIn(db, edition.id, "L_velace")).toEqual([]);
    expect(parseAttendeeFilter({ q: "a\u0000b", ticketType: "\u0000", answer: "tshirt=\u0000" })).toMatchObject({
      q: undefined,
      ticketType: undefined,
      answer: undefined,
    });
  });
});
