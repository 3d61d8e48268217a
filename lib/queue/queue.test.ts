import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry, holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import type { Db } from "@/lib/db/prisma";
import { queueGate } from "./gate";
import { configureQueue } from "@/lib/editions/queue-settings";
import { joinQueue, tickQueues } from "./queue";
import { registerInTurn } from "./register-in-turn";
import { readQueueState } from "./state";
import { QUEUE_TICKET_LIFETIME_MS, signQueueTicket } from "./ticket";

// Two Prisma clients with their own pools stand for two app instances on one Postgres.
const { db, newClient } = await useTestDatabase(10);
const other = newClient(10);
const key = "a-queue-key-of-at-least-thirty-two-characters";
const HOUR = 3_600_000;

/** An open edition whose queue opens an hour from now, so ticks at fake times after that are exact. */
async function queuedEdition(admitPerSecond: number, capacity = 100) {
  const edition = await createEdition(db, { capacity });
  const opensAt = new Date(Date.now() + HOUR);
  await db.$transaction((tx) => configureQueue(tx, edition.id, { enabled: true, opensAt, admitPerSecond }));
  return { edition, opensAt, at: (ms: number) => new Date(opensAt.getTime() + ms) };
}

const frontierOf = async (editionId: string) =>
  (await db.editionQueue.findUniqueOrThrow({ where: { editionId } })).frontier;

const register = (client: Db, slug: string, ticket: string | null, n: number, now: Date) =>
  readQueueState(client, slug).then((state) =>
    registerInTurn(client, state, slug, attendeeRequest("free", n), ticket, { key, holdMinutes: 35, now }),
  );

describe("the queue's order and pace across instances", () => {
  it("numbers arrivals from two pools in the order they arrive", async () => {
    const { edition } = await queuedEdition(10);
    const ordinals = [];
    for (let i = 0; i < 10; i++) ordinals.push(await joinQueue(i % 2 === 0 ? db : other, edition.id));
    expect(ordinals).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const concurrent = await Promise.all(
      Array.from({ length: 100 }, (_, i) => joinQueue(i % 2 === 0 ? db : other, edition.id)),
    );
    expect(concurrent.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 11));
  });

  it("advances by the rate when two instances tick at once, not twice, and banks nothing while idle", async () => {
    const { edition, at } = await queuedEdition(10);
    for (let i = 0; i < 40; i++) await joinQueue(db, edition.id);
    await tickQueues(db, at(-1000));
    expect(await frontierOf(edition.id)).toBe(0);
    await tickQueues(db, at(0));
    await Promise.all([tickQueues(db, at(1000)), tickQueues(other, at(1000))]);
    expect(await frontierOf(edition.id)).toBe(10);
    await Promise.all([tickQueues(db, at(1100)), tickQueues(other, at(1150))]);
    expect(await frontierOf(edition.id)).toBe(10);
    await tickQueues(other, at(2500));
    expect(await frontierOf(edition.id)).toBe(25);
    // 40 arrivals only: ten idle seconds admit them all, and nothing more is owed to the next ones.
    await tickQueues(db, at(12_500));
    expect(await frontierOf(edition.id)).toBe(40);
    for (let i = 0; i < 20; i++) await joinQueue(db, edition.id);
    await tickQueues(db, at(13_000));
    expect(await frontierOf(edition.id)).toBe(45);
  });
});

describe("a buyer's place, from joining to an order", () => {
  it("queues a newcomer with a signed place that the other instance admits once the frontier reaches it", async () => {
    const { edition, at } = await queuedEdition(2);
    await joinQueue(db, edition.id);
    const first = await register(db, edition.slug, null, 1, at(0));
    expect(first).toMatchObject({
      ok: false,
      reason: "queue",
      queue: { status: "queued", position: 2, estimatedWaitSeconds: 1, seatsLeft: 100 },
    });
    if (first.ok || first.reason !== "queue" || first.queue.status !== "queued") throw new Error("not queued");
    const { ticket: place } = first.queue;
    expect(await register(other, edition.slug, place, 1, at(100))).toMatchObject({
      queue: { status: "queued", position: 2 },
    });
    await tickQueues(db, at(0));
    await tickQueues(other, at(1000));
    const placed = await register(other, edition.slug, place, 1, at(1000));
    expect(placed).toMatchObject({ ok: true });
    if (!placed.ok) throw new Error(placed.reason);
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.order.id } });
    expect(order.queueOrdinal).toBe(2);
  });

  it("places one order per place: a second attempt is refused, and so is the loser of a race", async () => {
    const { edition, at } = await queuedEdition(10);
    const places = [await joinQueue(db, edition.id), await joinQueue(db, edition.id)];
    await tickQueues(db, at(0));
    await tickQueues(db, at(1000));
    const [one, two] = places.map((ordinal) =>
      signQueueTicket(key, { editionId: edition.id, ordinal, issuedAt: at(0) }),
    );
    expect(await register(db, edition.slug, one, 1, at(1000))).toMatchObject({ ok: true });
    expect(await register(other, edition.slug, one, 2, at(1100))).toMatchObject({
      ok: false,
      reason: "queue",
      queue: { status: "refused", reason: "used" },
    });
    const race = await Promise.all([3, 4].map((n, i) => register(i ? other : db, edition.slug, two, n, at(1200))));
    expect(race.filter((result) => result.ok)).toHaveLength(1);
    expect(race.find((result) => !result.ok)).toMatchObject({ reason: "queue", queue: { reason: "used" } });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(2);
  });

  it("refuses a forged, foreign or expired place, and stores nothing", async () => {
    const { edition, at } = await queuedEdition(10);
    const ordinal = await joinQueue(db, edition.id);
    await tickQueues(db, at(0));
    await tickQueues(db, at(1000));
    const place = { editionId: edition.id, ordinal, issuedAt: at(0) };
    const genuine = signQueueTicket(key, place);
    const [payload, signature] = genuine.split(".");
    const otherPlace = Buffer.from(`${edition.id}.${ordinal + 1}.${at(0).getTime()}`).toString("base64url");
    const elsewhere = await createEdition(db, { capacity: 5 });
    const refusals = {
      forged: [
        signQueueTicket("another-key-of-at-least-thirty-two-characters", place),
        `${otherPlace}.${signature}`,
        `${payload}.${signature.slice(1)}x`,
        "not-a-ticket",
      ],
      other_edition: [signQueueTicket(key, { ...place, editionId: elsewhere.id })],
      expired: [signQueueTicket(key, { ...place, issuedAt: new Date(at(1000).getTime() - QUEUE_TICKET_LIFETIME_MS) })],
    };
    for (const [reason, tickets] of Object.entries(refusals)) {
      for (const ticket of tickets) {
        expect(await register(db, edition.slug, ticket, 1, at(1000))).toMatchObject({
          ok: false,
          queue: { status: "refused", reason },
        });
      }
    }
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
    expect(await register(db, edition.slug, genuine, 1, at(1000))).toMatchObject({ ok: true });
  });

  it("tells the waiting and the newcomers at once when no seat is left", async () => {
    const { edition, at } = await queuedEdition(1, 1);
    const [first, second] = [await joinQueue(db, edition.id), await joinQueue(db, edition.id)];
    await tickQueues(db, at(0));
    await tickQueues(db, at(1000));
    const ticketOf = (ordinal: number) => signQueueTicket(key, { editionId: edition.id, ordinal, issuedAt: at(0) });
    expect(await register(db, edition.slug, ticketOf(first), 1, at(1000))).toMatchObject({ ok: true });
    const state = await readQueueState(db, edition.slug);
    const gate = (ticket: string | null) => queueGate(db, state, ticket, { key, now: at(1000), join: true });
    expect(await gate(ticketOf(second))).toEqual({ status: "sold_out" });
    expect(await gate(null)).toEqual({ status: "sold_out" });
    // The newcomer took no place.
    expect(await joinQueue(db, edition.id)).toBe(3);
  });

  it("changes nothing while the queue is off: registration as today, no place asked or kept", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const placed = await register(db, edition.slug, null, 1, new Date());
    expect(placed).toMatchObject({ ok: true });
    const { at } = await queuedEdition(10);
    await db.$transaction((tx) =>
      configureQueue(tx, edition.id, { enabled: false, opensAt: at(0), admitPerSecond: 10 }),
    );
    const again = await register(db, edition.slug, null, 2, new Date());
    expect(again).toMatchObject({ ok: true });
    const orders = await db.order.findMany({ where: { editionId: edition.id } });
    expect(orders.map((order) => order.queueOrdinal)).toEqual([null, null]);
    expect(
      await queueGate(db, await readQueueState(db, edition.slug), "anything", { key, now: new Date(), join: true }),
    ).toEqual({ status: "open" });
  });

  it("lets an offer's holder past the queue to the offer's seats, and nobody else with a token", async () => {
    const { edition, at } = await queuedEdition(1, 1);
    const held = await holdSeats(db, edition);
    const entry = await addTestEntry(db, edition);
    await lapseHolds(db, [held]);
    const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: entry.id } });
    expect(offer.status).toBe("OFFERED");
    const withToken = (token: string, n: number) =>
      readQueueState(db, edition.slug).then((state) =>
        registerInTurn(db, state, edition.slug, attendeeRequest("free", n), null, {
          key,
          holdMinutes: 35,
          now: at(0),
          offer: token,
        }),
      );

    expect(await register(db, edition.slug, null, 1, at(0))).toMatchObject({ ok: false, reason: "queue" });
    expect(await withToken("forged-token", 2)).toEqual({ ok: false, reason: "offer_unavailable", detail: "closed" });
    const placed = await withToken(entry.token, 3);
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: placed.order.id } });
    expect(ticket.allocationId).toBe(offer.allocationId);
    expect((await db.order.findUniqueOrThrow({ where: { id: placed.order.id } })).queueOrdinal).toBeNull();
  });
});
