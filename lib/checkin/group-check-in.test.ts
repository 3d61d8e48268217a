import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cancelAttendee } from "@/lib/attendees/manage";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode } from "@/lib/tickets/codes";
import { createEdition, snapshotAsSent } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { admitGroup, groupRequestSchema, type GroupRequest } from "./group-check-in";
import { answerOffline } from "./offline";
import { recordScan, scanRequestSchema } from "./scan";

const { db } = await useTestDatabase(10);
const { stripe } = await useLocalStripe();
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const verifyKeys = [{ publicKey }];
const staff = { userId: null, apiTokenId: null };
const actor = { id: "00000000-0000-4000-8000-000000000003", email: "organiser@example.org" };

const person = (tag: string) => ({
  firstName: "Ada",
  lastName: tag,
  email: `${tag}.${randomUUID().slice(0, 8)}@example.org`,
  company: "Acme",
});

/** A confirmed free group of `named` named attendees and one unnamed ticket, at an edition of its own. */
async function group(named = 3, edition?: Awaited<ReturnType<typeof createEdition>>) {
  const at = edition ?? (await createEdition(db, { capacity: 20 }));
  const tickets = [
    ...Array.from({ length: named }, (_, i) => ({ ticketType: "free", attendee: person(`member${i + 1}`) })),
    { ticketType: "free", attendee: null },
  ];
  const placed = await registerAttendee(
    db,
    at.slug,
    { buyer: person("buyer"), locale: "en", tickets },
    {
      holdMinutes: 35,
    },
  );
  if (!placed.ok) throw new Error(placed.reason);
  const rows = await db.ticket.findMany({ where: { orderId: placed.order.id }, orderBy: { position: "asc" } });
  return { edition: at, tickets: rows };
}

const codeOf = (ticket: { id: string; editionId: string; codeVersion: number }) =>
  signTicketCode({ ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion }, privateKey);

const scan = (editionId: string, code: string) =>
  recordScan(
    db,
    verifyKeys,
    editionId,
    staff,
    scanRequestSchema.parse({ code, nonce: randomUUID(), deviceId: "door-1" }),
  );

async function admit(editionId: string, request: Omit<GroupRequest, "deviceId"> & { deviceId?: string }) {
  const outcome = await admitGroup(
    db,
    verifyKeys,
    editionId,
    staff,
    groupRequestSchema.parse({ deviceId: "door-1", ...request }),
  );
  if (!Array.isArray(outcome)) throw new Error("a staff session is never refused");
  return outcome;
}

describe("a group at the door", () => {
  it("lists the order's other live tickets with the scanned one's answer, unnamed ones without a name", async () => {
    const { edition, tickets } = await group(3);
    const [first, second, third, unnamed] = tickets;
    await cancelAttendee(db, stripe, actor, edition.id, third.id, { refund: false });
    const answer = await scan(edition.id, codeOf(first));
    expect(answer).toMatchObject({ result: "admitted", group: { inside: 1, of: 3 } });
    if (answer.result !== "admitted") return;
    expect(answer.group!.others).toEqual([
      {
        ticketId: second.id,
        position: 2,
        name: `Ada ${second.lastName}`,
        ticketTypeFr: "free",
        ticketTypeEn: "free",
        checkedIn: false,
      },
      { ticketId: unnamed.id, position: 4, name: null, ticketTypeFr: "free", ticketTypeEn: "free", checkedIn: false },
    ]);
    await scan(edition.id, codeOf(second));
    expect(await scan(edition.id, codeOf(first))).toMatchObject({
      result: "already_checked_in",
      group: { inside: 2, of: 3, others: [{ ticketId: second.id, checkedIn: true }, { checkedIn: false }] },
    });
  });

  it("admits the others with one scan each, naming the ticket that offered them; a retry replays", async () => {
    const { edition, tickets } = await group(2);
    const [first, second, unnamed] = tickets;
    await scan(edition.id, codeOf(first));
    const nonce = randomUUID();
    const request = { ticketIds: [second.id, unnamed.id], nonce, viaTicketId: first.id };
    const answers = await admit(edition.id, request);
    expect(answers).toMatchObject([
      { ticketId: second.id, result: "admitted", replayed: false, group: { inside: 2, of: 3 } },
      { ticketId: unnamed.id, result: "admitted", replayed: false, group: { inside: 3, of: 3 } },
    ]);
    const scans = await db.checkInScan.findMany({ where: { nonce: { startsWith: nonce } }, orderBy: { nonce: "asc" } });
    expect(scans.map((row) => [row.nonce, row.ticketId, row.result, row.viaTicketId])).toEqual([
      [`${nonce}-0`, second.id, "ADMITTED", first.id],
      [`${nonce}-1`, unnamed.id, "ADMITTED", first.id],
    ]);
    const again = await admit(edition.id, request);
    expect(again.map((answer) => [answer.result, answer.replayed])).toEqual([
      ["admitted", true],
      ["admitted", true],
    ]);
    expect(await db.checkInScan.count({ where: { nonce: { startsWith: nonce } } })).toBe(2);
    // A fresh request for people already in is told so, and admits nobody twice.
    const late = await admit(edition.id, { ...request, nonce: randomUUID() });
    expect(late.map((answer) => answer.result)).toEqual(["already_checked_in", "already_checked_in"]);
    const inside = await db.ticket.findMany({ where: { id: { in: [second.id, unnamed.id] } } });
    expect(inside.map((ticket) => ticket.checkedInScanId).sort()).toEqual(scans.map((row) => row.id).sort());
  });

  it("refuses a cancelled member alone, and the rest get in", async () => {
    const { edition, tickets } = await group(3);
    const [first, second, third] = tickets;
    await scan(edition.id, codeOf(first));
    await cancelAttendee(db, stripe, actor, edition.id, second.id, { refund: false });
    const answers = await admit(edition.id, {
      ticketIds: [second.id, third.id],
      nonce: randomUUID(),
      viaTicketId: first.id,
    });
    expect(answers).toMatchObject([
      { ticketId: second.id, result: "cancelled", reason: "cancelled" },
      { ticketId: third.id, result: "admitted" },
    ]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: second.id } })).checkedInAt).toBeNull();
  });

  it("answers unknown for a ticket of another order or edition, whatever list the device sends", async () => {
    const { edition, tickets } = await group(1);
    const neighbours = await group(1, edition);
    const elsewhere = await group(1);
    const answers = await admit(edition.id, {
      ticketIds: [neighbours.tickets[0].id, elsewhere.tickets[0].id, randomUUID(), tickets[1].id],
      nonce: randomUUID(),
      viaTicketId: tickets[0].id,
    });
    expect(answers.map((answer) => [answer.ticketId, answer.result])).toEqual([
      [neighbours.tickets[0].id, "unknown"],
      [elsewhere.tickets[0].id, "unknown"],
      [answers[2].ticketId, "unknown"],
      [tickets[1].id, "admitted"],
    ]);
    const outsiders = [neighbours.tickets[0].id, elsewhere.tickets[0].id];
    expect(await db.ticket.count({ where: { id: { in: outsiders }, checkedInAt: { not: null } } })).toBe(0);
    // A via ticket of another edition vouches for nobody here.
    const foreignVia = await admit(edition.id, {
      ticketIds: [tickets[0].id],
      nonce: randomUUID(),
      viaTicketId: elsewhere.tickets[1].id,
    });
    expect(foreignVia).toMatchObject([{ ticketId: tickets[0].id, result: "unknown" }]);
  });

  it("refuses a malformed request: an empty or repeated list, a nonce too long for its members' suffixes", () => {
    const base = { deviceId: "door-1", viaTicketId: randomUUID(), nonce: randomUUID() };
    const id = randomUUID();
    expect(groupRequestSchema.safeParse({ ...base, ticketIds: [] }).success).toBe(false);
    expect(groupRequestSchema.safeParse({ ...base, ticketIds: [id, id] }).success).toBe(false);
    expect(groupRequestSchema.safeParse({ ...base, ticketIds: [id], nonce: "n".repeat(61) }).success).toBe(false);
    expect(groupRequestSchema.safeParse({ ...base, ticketIds: [id] }).success).toBe(true);
  });

  it("offline, lists the group from the snapshot; the queued member scans go up with their group", async () => {
    const { edition, tickets } = await group(2);
    const [first, second, unnamed] = tickets;
    const snapshot = await snapshotAsSent(db, edition, verifyKeys);
    const admittedHere = new Map<string, { at: string; deviceId: string }>();
    const scanned = await answerOffline(snapshot, { code: codeOf(first) }, admittedHere, "door-1");
    expect(scanned).toMatchObject({
      result: "admitted",
      group: {
        inside: 1,
        of: 3,
        others: [
          { ticketId: second.id, position: 2, name: `Ada ${second.lastName}`, checkedIn: false },
          { ticketId: unnamed.id, position: 3, name: null, checkedIn: false },
        ],
      },
    });
    const member = await answerOffline(snapshot, { ticketId: second.id }, admittedHere, "door-1");
    expect(member).toMatchObject({ result: "admitted", group: { inside: 2, of: 3 } });
    // The queued scans go up one by one, the member's with the ticket that offered it.
    const nonce = randomUUID();
    await recordScan(
      db,
      verifyKeys,
      edition.id,
      staff,
      scanRequestSchema.parse({
        code: codeOf(first),
        nonce: `${nonce}-via`,
        deviceId: "door-1",
        offlineAdmitted: true,
      }),
    );
    const uploaded = await recordScan(
      db,
      verifyKeys,
      edition.id,
      staff,
      scanRequestSchema.parse({
        ticketId: second.id,
        nonce: `${nonce}-0`,
        deviceId: "door-1",
        offlineAdmitted: true,
        viaTicketId: first.id,
      }),
    );
    expect(uploaded).toMatchObject({ result: "admitted", group: { inside: 2, of: 3 } });
    const row = await db.checkInScan.findFirstOrThrow({ where: { nonce: `${nonce}-0` } });
    expect(row).toMatchObject({ viaTicketId: first.id, offline: true, result: "ADMITTED" });
  });
});
