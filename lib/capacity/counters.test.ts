import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import type { Db } from "@/lib/db/prisma";
import { addComplimentaryTickets, cancelAttendee } from "@/lib/attendees/manage";
import { recountEditionSeats } from "@/lib/editions/seat-recount";
import { setEditionStatus } from "@/lib/editions/manage";
import { saveTicketType } from "@/lib/editions/ticket-types";
import { registerAttendee } from "@/lib/orders/register";
import { cancelCheckout, startCheckout } from "@/lib/payments/checkout";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { cancelOneTicket, refundOrder } from "@/lib/payments/refunds";
import { handleStripeWebhook } from "@/lib/payments/webhook";
import { driftSize, seatCounterDrift } from "./counters";
import { getSeatUsage, lockEdition, SOLD_OUT_STATE, sqlStateOf } from "./seats";

const { db, url, newClient } = await useTestDatabase();
const { stripe, payWithCard, waitForDelivery, payOrder } = await useLocalStripe();
const actor = await createOrganiser(db);

const inStep = async () => expect(await seatCounterDrift(db)).toEqual([]);
const lapse = (orderId: string) =>
  db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${orderId}::uuid`;
const person = (n: string) => ({ firstName: "Ada", lastName: n, email: `${n}-${randomUUID()}@example.org` });

const register = (client: Db, slug: string, code: string) =>
  registerAttendee(client, slug, attendeeRequest(code, randomUUID()), { holdMinutes: 35 });

async function placed(slug: string, code: string) {
  const result = await register(db, slug, code);
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe("sqlStateOf", () => {
  it("reads the SQLSTATE from pg, from a Prisma model query and from a Prisma raw query", async () => {
    const edition = await createEdition(db, { capacity: 1 });
    const first = await placed(edition.slug, "free");
    const ticket = (position: number) => ({
      orderId: first.id,
      position,
      editionId: edition.id,
      ticketTypeId: edition.ticketTypes[0].id,
      priceCents: 0,
      ...person(`extra-${position}`),
    });
    const model = await db.ticket.create({ data: ticket(2) }).catch((error: unknown) => error);
    const raw = await db.$executeRaw`
      INSERT INTO "Ticket" (id, "orderId", position, "editionId", "ticketTypeId", "priceCents", "firstName",
                            "lastName", email, "updatedAt")
      VALUES (gen_random_uuid(), ${first.id}::uuid, 3, ${edition.id}::uuid, ${edition.ticketTypes[0].id}::uuid, 0,
              'Ada', 'Raw', 'raw@example.org', now())`.catch((error: unknown) => error);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const plain = await client
      .query(`UPDATE "EditionSeats" SET held = held + 1 WHERE "editionId" = $1`, [edition.id])
      .catch((error: unknown) => error)
      .finally(() => client.end());

    expect([sqlStateOf(model), sqlStateOf(raw), sqlStateOf(plain)]).toEqual([SOLD_OUT_STATE, SOLD_OUT_STATE, "23514"]);
    expect(sqlStateOf({ code: "P2002", clientVersion: "6.19.3" })).toBeNull();
    expect(sqlStateOf(new Error("no code"))).toBeNull();
    await inStep();
  });
});

describe("the seat counters follow every path that takes or frees a seat", () => {
  it("stay in step after each step of a scripted run", async () => {
    const edition = await createEdition(db, {
      capacity: 8,
      ticketTypes: [
        { code: "paid", priceCents: 4900, quota: 6 },
        { code: "free", priceCents: 0 },
      ],
    });
    const paid = edition.ticketTypes.find((type) => type.code === "paid")!;
    const free = edition.ticketTypes.find((type) => type.code === "free")!;
    await inStep();

    // Registrations: free (confirmed at once), paid (held), a group.
    const freeOrder = await placed(edition.slug, "free");
    const onTime = await placed(edition.slug, "paid");
    const late = await placed(edition.slug, "paid");
    const backed = await placed(edition.slug, "paid");
    await inStep();
    expect(await getSeatUsage(db, edition.id)).toMatchObject({ confirmed: 1, held: 3 });

    // Payment on time: held → confirmed.
    await payOrder(db, onTime.id);
    await inStep();

    // A lapsed hold, released by the sweep; its payment then comes late and gets its seat again.
    const checkout = await startCheckout(db, stripe, late.id, { appUrl: "http://app.test" });
    if (!checkout.ok) throw new Error(checkout.reason);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: late.id } });
    expect((await payWithCard(paymentReference!)).status).toBe(303);
    const delivery = await waitForDelivery("checkout.session.completed", paymentReference!);
    await lapse(late.id);
    expect((await getSeatUsage(db, edition.id)).held).toBe(1);
    await expireLapsedHolds(db, null);
    await inStep();
    const outcome = await handleStripeWebhook(delivery.payload, delivery.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: new Date(),
      log: () => {},
    });
    expect(outcome.outcome).toBe("confirmed_late");
    await inStep();

    // "Back" on Stripe: held → cancelled.
    await cancelCheckout(db, stripe, backed.accessToken);
    await inStep();

    // The organiser cancels the free registration; the on-time payment is refunded.
    const freeTicket = await db.ticket.findFirstOrThrow({ where: { orderId: freeOrder.id } });
    expect(await cancelAttendee(db, stripe, actor, edition.id, freeTicket.id, { refund: false })).toMatchObject({
      ok: true,
    });
    await inStep();
    expect(await refundOrder(db, stripe, onTime.id, { reason: "organiser_cancelled" })).toBe("refunded");
    await inStep();

    // A paid group of three, one of whom cancels alone, then the rest.
    const group = await registerAttendee(
      db,
      edition.slug,
      {
        buyer: person("buyer"),
        tickets: [person("a"), person("b"), person("c")].map((attendee) => ({ ticketType: "paid", attendee })),
        locale: "en",
      },
      { holdMinutes: 35 },
    );
    if (!group.ok) throw new Error(group.reason);
    await payOrder(db, group.order.id);
    const members = await db.ticket.findMany({ where: { orderId: group.order.id }, orderBy: { position: "asc" } });
    const one = { orderId: group.order.id, ticketId: members[1].id };
    expect(await cancelOneTicket(db, stripe, one, { refund: true, reason: "buyer_cancelled_ticket" })).toBe("refunded");
    await inStep();

    // A complimentary ticket after closing; quota, capacity and openness edits.
    await setEditionStatus(db, actor, edition.id, "CLOSED");
    const complimentary = await addComplimentaryTickets(db, actor, edition.id, {
      ticketType: "free",
      attendee: person("speaker"),
      answers: {},
      locale: "en",
    });
    expect(complimentary).toMatchObject({ ok: true });
    await setEditionStatus(db, actor, edition.id, "OPEN");
    await inStep();
    const quota = await saveTicketType(db, actor, edition.id, paid.id, {
      code: "paid",
      nameFr: "paid",
      nameEn: "paid",
      price: "49",
      quota: "4",
      salesStartAt: "",
      salesEndAt: "",
      active: "on",
    });
    expect(quota).toMatchObject({ ok: true });
    await db.edition.update({ where: { id: edition.id }, data: { capacity: 6 } });
    await inStep();

    // Full but for a lapsed hold: the next claim releases it and gets the seat; then sold out.
    const usage = await getSeatUsage(db, edition.id);
    expect(usage.confirmed + usage.held).toBe(4);
    const blocker = await placed(edition.slug, "free");
    const lapsing = await placed(edition.slug, "paid");
    await lapse(lapsing.id);
    const taker = await register(db, edition.slug, "free");
    expect(taker.ok).toBe(true);
    expect(await db.order.findUniqueOrThrow({ where: { id: lapsing.id } })).toMatchObject({
      status: "EXPIRED",
      statusReason: "hold_expired",
    });
    expect(await register(db, edition.slug, "free")).toEqual({
      ok: false,
      reason: "sold_out",
      left: 0,
      leftByCode: { free: 0 },
    });
    await inStep();

    // Writers outside the app: direct status updates, deletes.
    await db.$executeRaw`UPDATE "Order" SET status = 'CANCELLED' WHERE id = ${blocker.id}::uuid`;
    await inStep();
    await db.$executeRaw`UPDATE "Ticket" SET status = 'CANCELLED' WHERE "orderId" = ${group.order.id}::uuid
                           AND position = 3`;
    await inStep();
    await db.$executeRaw`DELETE FROM "Ticket" WHERE "orderId" = ${group.order.id}::uuid AND position = 1`;
    await inStep();
    await db.$executeRaw`DELETE FROM "Order" WHERE id = ${taker.ok ? taker.order.id : ""}::uuid`;
    await inStep();
    expect((await getSeatUsage(db, edition.id)).byTicketType.get(free.id)).toEqual({
      confirmed: 1,
      held: 0,
      reserved: 0,
    });
  });

  it("release a lapsed hold for a ticket type at its quota, and spare the claim's own order", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      ticketTypes: [{ code: "paid", priceCents: 1500, quota: 2 }],
    });
    const lapsing = await placed(edition.slug, "paid");
    await lapse(lapsing.id);
    await placed(edition.slug, "paid");
    // Its own hold already over when placed (a clock pinned in the past): the type's row counts three
    // holds for a quota of two, and the claim releases the other lapsed hold, not its own order.
    const past = await registerAttendee(db, edition.slug, attendeeRequest("paid", randomUUID()), {
      holdMinutes: 35,
      now: new Date(Date.now() - 3_600_000),
    });
    if (!past.ok) throw new Error(past.reason);
    expect((await db.order.findUniqueOrThrow({ where: { id: lapsing.id } })).status).toBe("EXPIRED");
    expect((await db.order.findUniqueOrThrow({ where: { id: past.order.id } })).status).toBe("PENDING");
    await inStep();
  });

  it("shows a counter written behind the triggers' back, and the recount puts it right, audited", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    await placed(edition.slug, "free");
    await db.$executeRaw`UPDATE "EditionSeats" SET confirmed = 3 WHERE "editionId" = ${edition.id}::uuid`;
    const drift = await seatCounterDrift(db, edition.id);
    expect(drift).toEqual([
      {
        editionId: edition.id,
        ticketTypeId: null,
        counters: { confirmed: 3, held: 0, reserved: 0, limit: 5, open: true },
        exact: { confirmed: 1, held: 0, reserved: 0, limit: 5, open: true },
      },
    ]);
    expect(driftSize(drift)).toBe(2);
    expect(await recountEditionSeats(db, actor, edition.id)).toEqual({ ok: true, off: 2 });
    await inStep();
    const audit = await db.auditEntry.findFirstOrThrow({ where: { editionId: edition.id } });
    expect(audit).toMatchObject({ action: "edition.seats_recounted", after: { off: 2 } });
  });
});

describe("the seat counters under concurrency", () => {
  it("two pools, sweeps, cancellations and a capacity edit: never oversold, no deadlock, in step", async () => {
    const edition = await createEdition(db, {
      capacity: 120,
      ticketTypes: [
        { code: "free", priceCents: 0 },
        { code: "paid", priceCents: 1500, quota: 60 },
      ],
    });
    // 20 lapsed holds for the sweep and the claims to release, 10 confirmed registrations to cancel.
    const lapsed = await Promise.all(Array.from({ length: 20 }, () => placed(edition.slug, "paid")));
    await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp()
                         WHERE id = ANY(${lapsed.map((order) => order.id)}::uuid[])`;
    const cancellable = await Promise.all(Array.from({ length: 10 }, () => placed(edition.slug, "free")));
    const tickets = await db.ticket.findMany({ where: { orderId: { in: cancellable.map((order) => order.id) } } });

    const pools = [newClient(10), newClient(10)];
    let claiming = true;
    const sweeps = (async () => {
      while (claiming) await expireLapsedHolds(pools[1], null);
    })();
    const claims = Promise.all(
      Array.from({ length: 200 }, (_, i) => register(pools[i % 2], edition.slug, i % 3 === 0 ? "paid" : "free")),
    );
    const cancellations = Promise.all(
      tickets.map((ticket, i) => cancelAttendee(pools[i % 2], stripe, actor, edition.id, ticket.id, { refund: false })),
    );
    const capacityEdit = pools[0].$transaction(async (tx) => {
      await lockEdition(tx, edition.id);
      await tx.edition.update({ where: { id: edition.id }, data: { capacity: 130 } });
    });
    const [results, cancelled] = await Promise.all([claims, cancellations, capacityEdit]).finally(() => {
      claiming = false;
    });
    await sweeps;

    expect(new Set(results.map((result) => (result.ok ? "ok" : result.reason)))).toEqual(new Set(["ok", "sold_out"]));
    expect(cancelled.every((result) => result.ok)).toBe(true);
    const usage = await getSeatUsage(db, edition.id);
    expect(usage.confirmed + usage.held).toBeLessThanOrEqual(130);
    const paid = edition.ticketTypes.find((type) => type.code === "paid")!;
    expect(usage.byTicketType.get(paid.id)!.held).toBeLessThanOrEqual(60);
    await inStep();
  });
});

describe("TRUNCATE", () => {
  it("zeroes every counter", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    await placed(edition.slug, "free");
    await db.$executeRawUnsafe(`TRUNCATE "Order" CASCADE`);
    expect(await getSeatUsage(db, edition.id)).toMatchObject({ confirmed: 0, held: 0 });
    await inStep();
  });
});
