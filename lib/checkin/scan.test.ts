import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode } from "@/lib/tickets/codes";
import { attendeeRequest, createEdition } from "@/lib/testing/fixtures";
import { useTestDatabase } from "@/lib/testing/test-database";
import { recordScan, undoCheckIn, type ScanRequest } from "./scan";

const { db } = await useTestDatabase(20);
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const staff = { userId: null, apiTokenId: null };
const actor = { id: "00000000-0000-4000-8000-000000000003", email: "organiser@example.org" };

async function ticketAt(capacity = 10) {
  const edition = await createEdition(db, { capacity });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
  return { edition, ticket, code: signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion }, privateKey) };
}

const scan = (editionId: string, request: Partial<ScanRequest>, now?: Date) =>
  recordScan(db, publicKey, editionId, staff, { nonce: randomUUID(), deviceId: "door-1", offlineAdmitted: false, ...request }, now);

describe("check-in at the door", () => {
  it("admits a valid ticket once, then says when and by which device it was admitted", async () => {
    const { edition, ticket, code } = await ticketAt();
    const first = await scan(edition.id, { code, deviceId: "door-1" });
    expect(first).toMatchObject({ result: "admitted", ticketId: ticket.id, attendee: { name: `Ada Lovelace ${ticket.lastName.split(" ")[1]}`, company: "Analytical" }, counts: { checkedIn: 1, expected: 1 }, replayed: false });
    const second = await scan(edition.id, { code, deviceId: "door-2" });
    expect(second).toMatchObject({ result: "already_checked_in", by: { deviceId: "door-1" }, checkedInAt: first.result === "admitted" ? first.checkedInAt : "" });
    expect(await db.checkInScan.count({ where: { editionId: edition.id } })).toBe(2);
  });

  it("of ten devices scanning one ticket at the same moment, exactly one admits it", async () => {
    const { edition, ticket, code } = await ticketAt();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => scan(edition.id, { code, deviceId: `door-${i}` })));
    expect(answers.filter((answer) => answer.result === "admitted")).toHaveLength(1);
    expect(answers.filter((answer) => answer.result === "already_checked_in")).toHaveLength(9);
    const scans = await db.checkInScan.findMany({ where: { ticketId: ticket.id } });
    expect(scans.filter((row) => row.result === "ADMITTED")).toHaveLength(1);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInScanId).toBe(scans.find((row) => row.result === "ADMITTED")!.id);
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
    expect((await scan(edition.id, { code: signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: 1 }, strangerKey) })).result).toBe("forged");
    expect((await scan(edition.id, { code: other.code })).result).toBe("wrong_edition");
    expect((await scan(edition.id, { code: signTicketCode({ ticketId: randomUUID(), editionId: edition.id, codeVersion: 1 }, privateKey) })).result).toBe("unknown");
    expect((await db.checkInScan.findMany({ where: { editionId: edition.id } })).map((row) => row.result).sort()).toEqual(["FORGED", "FORGED", "FORGED", "UNKNOWN", "WRONG_EDITION"]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInAt).toBeNull();
  });

  it("refuses cancelled, refunded and reissued tickets with the reason", async () => {
    const cancelled = await ticketAt();
    await db.ticket.update({ where: { id: cancelled.ticket.id }, data: { status: "CANCELLED" } });
    expect(await scan(cancelled.edition.id, { code: cancelled.code })).toMatchObject({ result: "cancelled", reason: "cancelled" });
    const refunded = await ticketAt();
    await db.order.update({ where: { id: refunded.ticket.orderId }, data: { status: "REFUNDED" } });
    expect(await scan(refunded.edition.id, { code: refunded.code })).toMatchObject({ result: "cancelled", reason: "refunded" });
    const reissued = await ticketAt();
    await db.ticket.update({ where: { id: reissued.ticket.id }, data: { codeVersion: 2 } });
    expect(await scan(reissued.edition.id, { code: reissued.code })).toMatchObject({ result: "cancelled", reason: "reissued" });
  });

  it("checks in by ticket id for people without their ticket", async () => {
    const { edition, ticket } = await ticketAt();
    expect(await scan(edition.id, { ticketId: ticket.id })).toMatchObject({ result: "admitted" });
    expect(await scan(edition.id, { ticketId: randomUUID() })).toMatchObject({ result: "unknown" });
  });

  it("records scans uploaded after an outage at their own time, and flags a ticket let in twice while offline", async () => {
    const { edition, ticket, code } = await ticketAt();
    const whileOffline = new Date(Date.now() - 20 * 60_000);
    const uploaded = await scan(edition.id, { code, deviceId: "door-offline-1", scannedAt: whileOffline.toISOString(), offlineAdmitted: true });
    expect(uploaded).toMatchObject({ result: "admitted", checkedInAt: whileOffline.toISOString() });
    const secondDevice = await scan(edition.id, { code, deviceId: "door-offline-2", scannedAt: new Date(whileOffline.getTime() + 60_000).toISOString(), offlineAdmitted: true });
    expect(secondDevice).toMatchObject({ result: "already_checked_in", by: { deviceId: "door-offline-1" } });
    const scans = await db.checkInScan.findMany({ where: { ticketId: ticket.id }, orderBy: { scannedAt: "asc" } });
    expect(scans.map((row) => [row.offline, row.offlineConflict])).toEqual([[true, false], [true, true]]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInAt?.toISOString()).toBe(whileOffline.toISOString());
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
