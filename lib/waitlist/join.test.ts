import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { testPerson } from "@/devtools/testing/vouchers";
import { lockEdition } from "@/lib/capacity/seats";
import { placeOrder } from "@/lib/orders/register";
import { declineOffer } from "./entries";
import { joinAgain, joinWaitingList, type JoinGuard } from "./join";

const { db, newClient } = await useTestDatabase();
const HOUR = 3_600_000;

type Edition = Awaited<ReturnType<typeof edition>>;

/** An edition of `capacity` with `taken` seats confirmed (standard), a student type and a hidden one. */
async function edition(capacity: number, taken = capacity) {
  const e = await createEdition(db, {
    capacity,
    ticketTypes: [{ code: "standard" }, { code: "student" }, { code: "sponsor" }],
  });
  await db.ticketType.updateMany({ where: { editionId: e.id, code: "sponsor" }, data: { hidden: true } });
  if (taken > 0) {
    const placed = await placeOrder(db, {
      edition: e,
      buyer: testPerson("buyer"),
      tickets: Array.from({ length: taken }, (_, i) => ({
        ticketType: e.ticketTypes[0],
        attendee: testPerson(`a${i}`),
        answers: {},
        priceCents: 0,
      })),
      locale: "en",
      holdExpiresAt: null,
      now: new Date(),
    });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
  }
  return e;
}

const request = (n: number | string, extra: Record<string, unknown> = {}) => ({
  name: `Waiting ${n}`,
  email: `waiting.${n}@example.org`,
  locale: "en",
  seats: 1,
  ticketTypes: ["standard"],
  ...extra,
});

const join = (e: Edition, input: unknown, options: { now?: Date; guard?: JoinGuard } = {}) =>
  joinWaitingList(db, e.slug, input, options);

async function joinedEmails(entryId: string) {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::integer AS n FROM "EmailOutbox"
     WHERE kind = 'waitlist_joined' AND payload->>'entryId' = ${entryId}`;
  return rows[0].n;
}

describe("joining the waiting list", () => {
  it("joins when the asked type is sold out, at the end of the line; nothing is offered", async () => {
    const e = await edition(2);
    const first = await join(e, request(1));
    expect(first).toEqual({
      ok: true,
      created: true,
      entryId: expect.any(String),
      position: 1,
      seats: 1,
      emailed: true,
    });
    const second = await join(e, request(2, { seats: "2", acceptsFewer: "on", ticketTypes: ["student", "standard"] }));
    expect(second).toMatchObject({ ok: true, created: true, position: 2, seats: 2 });
    if (!second.ok) return;
    const entry = await db.waitingListEntry.findUniqueOrThrow({
      where: { id: second.entryId },
      include: { ticketTypes: { include: { ticketType: true } } },
    });
    expect(entry).toMatchObject({ status: "WAITING", acceptsFewer: true, emailKey: "waiting.2@example.org" });
    expect(entry.ticketTypes.map((accepted) => accepted.ticketType.code).sort()).toEqual(["standard", "student"]);
    expect(entry.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await joinedEmails(second.entryId)).toBe(1);
    expect(await db.waitingListOffer.count({ where: { editionId: e.id } })).toBe(0);
  });

  it("updates the address's live entry and keeps its place; one confirmation an hour", async () => {
    const e = await edition(2);
    const now = new Date();
    const a = await join(e, request("a"), { now });
    await join(e, request("b"), { now });
    if (!a.ok) throw new Error(JSON.stringify(a));
    const again = await join(
      e,
      request("a", {
        name: "Ada Again",
        email: " WAITING.a@Example.org ",
        locale: "fr",
        seats: 2,
        ticketTypes: ["student"],
      }),
      { now },
    );
    // Within the hour the confirmation is not sent again: the answer says so (the page then says where to look).
    expect(a).toMatchObject({ emailed: true });
    expect(again).toEqual({ ok: true, created: false, entryId: a.entryId, position: 1, seats: 2, emailed: false });
    const entry = await db.waitingListEntry.findUniqueOrThrow({
      where: { id: a.entryId },
      include: { ticketTypes: { include: { ticketType: true } } },
    });
    expect(entry).toMatchObject({ name: "Ada Again", locale: "fr", seatsWanted: 2, email: "waiting.a@example.org" });
    expect(entry.ticketTypes.map((accepted) => accepted.ticketType.code)).toEqual(["student"]);
    expect(await joinedEmails(a.entryId)).toBe(1);
    expect(await join(e, request("a"), { now: new Date(now.getTime() + HOUR) })).toMatchObject({ emailed: true });
    expect(await joinedEmails(a.entryId)).toBe(2);
  });

  it("changes only the name and language of an entry with an offer out", async () => {
    const e = await edition(1);
    const a = await join(e, request("a"));
    if (!a.ok) throw new Error(JSON.stringify(a));
    await db.$transaction(async (tx) => {
      await lockEdition(tx, e.id);
      await tx.edition.update({ where: { id: e.id }, data: { capacity: 2 } });
    });
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: a.entryId } })).toMatchObject({
      status: "OFFERED",
    });
    expect(await join(e, request("a", { name: "Renamed", locale: "fr", seats: 3 }))).toMatchObject({
      ok: true,
      created: false,
      position: null,
      seats: 1,
    });
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: a.entryId } })).toMatchObject({
      name: "Renamed",
      locale: "fr",
      seatsWanted: 1,
    });
  });

  it("is a new entry at the end once the address's entry has closed", async () => {
    const e = await edition(1);
    const a = await join(e, request("a"));
    await join(e, request("b"));
    if (!a.ok) throw new Error(JSON.stringify(a));
    await db.waitingListEntry.update({ where: { id: a.entryId }, data: { status: "LAPSED" } });
    const again = await join(e, request("a"));
    expect(again).toMatchObject({ ok: true, created: true, position: 2 });
    expect(again.ok && again.entryId).not.toBe(a.entryId);
  });

  it("is closed while the public can buy what is asked, when the organiser closed it, and near the start", async () => {
    const closed = { ok: false, reason: "waiting_list_closed" };
    const roomy = await edition(4, 2);
    expect(await join(roomy, request(1, { seats: 2 }))).toEqual(closed);
    expect(await join(roomy, request(2, { seats: 3, acceptsFewer: true }))).toEqual(closed);
    // An exact group of 3 cannot buy 3 seats: it may wait.
    expect(await join(roomy, request(3, { seats: 3 }))).toMatchObject({ ok: true });

    const e = await edition(1);
    expect(await join(e, request(4), { now: new Date(e.startsAt.getTime() - HOUR) })).toEqual(closed);
    await db.edition.update({ where: { id: e.id }, data: { waitingListOpen: false } });
    expect(await join(e, request(5))).toEqual(closed);
    await db.edition.update({ where: { id: e.id }, data: { waitingListOpen: true, status: "CLOSED" } });
    expect(await join(e, request(6))).toEqual(closed);
    await db.edition.update({ where: { id: e.id }, data: { status: "DRAFT" } });
    expect(await join(e, request(7))).toEqual({ ok: false, reason: "not_found" });
    expect(await joinWaitingList(db, "no-such-edition", request(8), {})).toEqual({ ok: false, reason: "not_found" });
  });

  it("refuses invalid fields with their errors: listed types only, up to the order limit", async () => {
    const e = await edition(1);
    expect(await join(e, { email: "not-an-address", seats: 0, ticketTypes: [] })).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: {
        name: ["required"],
        email: ["invalid_email"],
        seats: ["seats_range"],
        ticketTypes: ["choose_ticket_type"],
      },
    });
    expect(await join(e, request(1, { seats: e.maxTicketsPerOrder + 1 }))).toMatchObject({
      fieldErrors: { seats: ["seats_range"] },
    });
    expect(await join(e, request(1, { ticketTypes: ["standard", "sponsor", "nope"] }))).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "ticketTypes.1": ["unknown_ticket_type"], "ticketTypes.2": ["unknown_ticket_type"] },
    });
    // An offer of a type is bought in one order: a group larger than the type's limit per order could not use it.
    await db.ticketType.updateMany({ where: { editionId: e.id, code: "student" }, data: { maxPerOrder: 2 } });
    expect(await join(e, request(1, { seats: 3, ticketTypes: ["standard", "student"] }))).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "ticketTypes.1": ["type_order_limit"] },
    });
    expect(await join(e, request(1, { seats: 2, ticketTypes: ["standard", "student"] }))).toMatchObject({ ok: true });
    // A type whose sale has ended is never offered: nobody waits for it.
    await db.ticketType.updateMany({
      where: { editionId: e.id, code: "student" },
      data: { salesEndAt: new Date(Date.now() - HOUR) },
    });
    expect(await join(e, request(2, { ticketTypes: ["student"] }))).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "ticketTypes.0": ["unknown_ticket_type"] },
    });
  });

  it("admits through the registration's guard and spends its limits", async () => {
    const e = await edition(1);
    const key = `waitlist-test:${e.id}`;
    const guard: JoinGuard = {
      admit: async () => ({ ok: true, limits: [{ key, limit: 1, windowSeconds: 3600, refusal: "rate_limited" }] }),
    };
    expect(await join(e, request(1), { guard })).toMatchObject({ ok: true });
    expect(await join(e, request(2), { guard })).toEqual({ ok: false, reason: "rate_limited" });
    const refusing: JoinGuard = { admit: async () => ({ ok: false, reason: "challenge_failed" }) };
    expect(await join(e, request(3), { guard: refusing })).toEqual({ ok: false, reason: "challenge_failed" });
    expect(await db.waitingListEntry.count({ where: { editionId: e.id } })).toBe(1);
  });

  it("admits on the wall clock while the list's clock is moved (a challenge is issued in real time)", async () => {
    const e = await edition(1);
    const seen: Date[] = [];
    const guard: JoinGuard = {
      admit: async (_edition, at) => (seen.push(at), { ok: true, limits: [] }),
    };
    const admittedAt = new Date(Date.now() - 60_000);
    const listNow = new Date(Date.now() + 25 * HOUR);
    expect(await joinWaitingList(db, e.slug, request(1), { now: listNow, admittedAt, guard })).toMatchObject({
      ok: true,
    });
    expect(seen).toEqual([admittedAt]);
    expect(await db.waitingListEntry.findFirstOrThrow({ where: { editionId: e.id } })).toMatchObject({
      joinedAt: listNow,
    });
  });

  it("joins of one address at once make one entry", async () => {
    const e = await edition(1);
    const clients = [db, newClient(5)];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => joinWaitingList(clients[i % 2], e.slug, request("same"), {})),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results.filter((result) => result.ok && result.created)).toHaveLength(1);
    expect(await db.waitingListEntry.count({ where: { editionId: e.id } })).toBe(1);
  });
});

describe("joining again from a closed entry's page", () => {
  /** A, B and C wait for one sold-out seat; a seat more is offered to A, who declines it: B has it now. */
  async function declinedFirst() {
    const e = await edition(1);
    const a = await join(
      e,
      request("again-a", { seats: 2, acceptsFewer: "on", locale: "fr", ticketTypes: ["student", "standard"] }),
    );
    await join(e, request("again-b"));
    await join(e, request("again-c"));
    if (!a.ok) throw new Error(JSON.stringify(a));
    await db.$transaction(async (tx) => {
      await lockEdition(tx, e.id);
      await tx.edition.update({ where: { id: e.id }, data: { capacity: 2 } });
    });
    const closed = await db.waitingListEntry.findUniqueOrThrow({ where: { id: a.entryId } });
    expect(await declineOffer(db, closed.token)).toEqual({ ok: true, closed: true });
    return { e, closed };
  }

  it("makes a new entry at the end of the line with the closed entry's answers; a second click finds it", async () => {
    const { e, closed } = await declinedFirst();
    const again = await joinAgain(db, closed.token, {});
    expect(again).toEqual({
      ok: true,
      created: true,
      entryId: expect.any(String),
      position: 2,
      seats: 2,
      emailed: true,
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    if (!again.ok) return;
    expect(again.entryId).not.toBe(closed.id);
    expect(again.token).not.toBe(closed.token);
    const entry = await db.waitingListEntry.findUniqueOrThrow({
      where: { id: again.entryId },
      include: { ticketTypes: { include: { ticketType: true } } },
    });
    expect(entry).toMatchObject({
      status: "WAITING",
      name: closed.name,
      email: closed.email,
      locale: "fr",
      seatsWanted: 2,
      acceptsFewer: true,
    });
    expect(entry.position > closed.position).toBe(true);
    expect(entry.ticketTypes.map((accepted) => accepted.ticketType.code).sort()).toEqual(["standard", "student"]);
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: closed.id } })).toMatchObject({
      status: "DECLINED",
    });

    expect(await joinAgain(db, closed.token, {})).toEqual({ ...again, created: false, emailed: false });
    expect(await db.waitingListEntry.count({ where: { editionId: e.id, emailKey: closed.emailKey } })).toBe(2);
  });

  it("is refused for a live entry or an unknown link, when the list is closed, or by the guard", async () => {
    const { e, closed } = await declinedFirst();
    const waiting = await db.waitingListEntry.findFirstOrThrow({ where: { editionId: e.id, status: "WAITING" } });
    expect(await joinAgain(db, waiting.token, {})).toEqual({ ok: false, reason: "not_found" });
    expect(await joinAgain(db, "no-such-token", {})).toEqual({ ok: false, reason: "not_found" });

    const refusing: JoinGuard = { admit: async () => ({ ok: false, reason: "challenge_failed" }) };
    expect(await joinAgain(db, closed.token, { guard: refusing })).toEqual({ ok: false, reason: "challenge_failed" });
    const nearStart = new Date(e.startsAt.getTime() - HOUR);
    expect(await joinAgain(db, closed.token, { now: nearStart })).toEqual({ ok: false, reason: "waiting_list_closed" });
    await db.edition.update({ where: { id: e.id }, data: { waitingListOpen: false } });
    expect(await joinAgain(db, closed.token, {})).toEqual({ ok: false, reason: "waiting_list_closed" });
    await db.edition.update({ where: { id: e.id }, data: { waitingListOpen: true } });
    // The types it accepted are no longer waited for (hidden: sold with a code only).
    await db.ticketType.updateMany({ where: { editionId: e.id }, data: { hidden: true } });
    expect(await joinAgain(db, closed.token, {})).toEqual({ ok: false, reason: "waiting_list_closed" });
    expect(await db.waitingListEntry.count({ where: { editionId: e.id, emailKey: closed.emailKey } })).toBe(1);
  });
});
