import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition } from "@/devtools/testing/fixtures";
import { placeOrder, registerAttendee, type AttendeeDetails, type OrderToPlace } from "./register";

const { db, newClient } = await useTestDatabase(20);
const HOLD = { holdMinutes: 30 };

type Edition = Awaited<ReturnType<typeof createEdition>>;

const person = (name: string): AttendeeDetails => ({
  firstName: "Ada",
  lastName: name,
  email: `${name.toLowerCase()}@example.org`,
  company: "Acme",
});

/** An order for `sizes[code]` tickets of each type, its attendees named after `tag`. */
function group(
  edition: Edition,
  sizes: Record<string, number>,
  tag: string,
  extra: Partial<OrderToPlace> = {},
): OrderToPlace {
  const tickets = Object.entries(sizes).flatMap(([code, count]) => {
    const ticketType = edition.ticketTypes.find((type) => type.code === code)!;
    return Array.from({ length: count }, (_, i) => ({
      ticketType,
      attendee: person(`${tag}-${code}-${i}`),
      answers: {},
      priceCents: ticketType.priceCents,
    }));
  });
  return {
    edition,
    buyer: person(`buyer-${tag}`),
    tickets,
    locale: "fr",
    holdExpiresAt: null,
    now: new Date(),
    ...extra,
  };
}

const liveTickets = (editionId: string) => db.ticket.count({ where: { editionId, status: "ACTIVE" } });

describe("group orders: all or nothing", () => {
  it("places every ticket of a group in one order, in the order given, under the buyer", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "free" }, { code: "student" }] });
    const placed = await placeOrder(db, group(edition, { free: 2, student: 1 }, "team"));
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    const order = await db.order.findUniqueOrThrow({
      where: { id: placed.order.id },
      include: { tickets: { orderBy: { position: "asc" }, include: { ticketType: true } } },
    });
    expect(order).toMatchObject({
      buyerFirstName: "Ada",
      buyerLastName: "buyer-team",
      buyerEmail: "buyer-team@example.org",
    });
    expect(order.tickets.map((ticket) => [ticket.position, ticket.ticketType.code, ticket.email])).toEqual([
      [1, "free", "team-free-0@example.org"],
      [2, "free", "team-free-1@example.org"],
      [3, "student", "team-student-0@example.org"],
    ]);
  });

  it("refuses a group of 5 when 3 seats are left, saying so, and holds nothing", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    expect((await placeOrder(db, group(edition, { free: 7 }, "first"))).ok).toBe(true);
    const refused = await placeOrder(db, group(edition, { free: 5 }, "second"));
    expect(refused).toEqual({
      ok: false,
      reason: "sold_out",
      left: 3,
      leftByTicketType: { [edition.ticketTypes[0].id]: 3 },
    });
    expect(await liveTickets(edition.id)).toBe(7);
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(1);
    expect((await placeOrder(db, group(edition, { free: 3 }, "third"))).ok).toBe(true);
  });

  it("keeps each ticket type within its quota, naming the type that is short", async () => {
    const edition = await createEdition(db, {
      capacity: 20,
      ticketTypes: [{ code: "free" }, { code: "student", quota: 4 }],
    });
    const [free, student] = edition.ticketTypes;
    expect((await placeOrder(db, group(edition, { student: 3 }, "a"))).ok).toBe(true);
    const refused = await placeOrder(db, group(edition, { free: 2, student: 2 }, "b"));
    expect(refused).toEqual({
      ok: false,
      reason: "sold_out",
      left: 17,
      leftByTicketType: { [free.id]: 17, [student.id]: 1 },
    });
    expect(await liveTickets(edition.id)).toBe(3);
  });

  it("never oversells nor grants part of a group: concurrent groups of 1 to 10 from two pools", async () => {
    const edition = await createEdition(db, {
      capacity: 40,
      ticketTypes: [{ code: "free" }, { code: "student", quota: 12 }],
    });
    const instances = [newClient(10), newClient(10)];
    const orders = Array.from({ length: 30 }, (_, i) => {
      const size = (i % 10) + 1;
      const students = i % 3 === 0 ? Math.ceil(size / 2) : 0;
      return group(edition, { free: size - students, student: students }, `g${i}`);
    });
    const results = await Promise.all(orders.map((order, i) => placeOrder(instances[i % 2], order)));
    const granted = results.flatMap((result) => (result.ok ? [result.order.id] : []));
    expect(granted.length).toBeGreaterThan(0);
    expect(results.every((result) => result.ok || result.reason === "sold_out")).toBe(true);

    const usage = await getSeatUsage(db, edition.id);
    expect(usage.confirmed).toBeLessThanOrEqual(40);
    expect(usage.byTicketType.get(edition.ticketTypes[1].id)?.confirmed ?? 0).toBeLessThanOrEqual(12);
    // Every order placed holds exactly the tickets it asked for; a refused one left nothing behind.
    for (const [i, result] of results.entries()) {
      const count = result.ok ? await db.ticket.count({ where: { orderId: result.order.id } }) : 0;
      expect(count).toBe(result.ok ? orders[i].tickets.length : 0);
    }
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(granted.length);
    // Each refusal was for want of room, overall or in one type, as the numbers it gave say.
    for (const [i, result] of results.entries()) {
      if (result.ok || result.reason !== "sold_out") continue;
      const asked = new Map<string, number>();
      for (const ticket of orders[i].tickets)
        asked.set(ticket.ticketType.id, (asked.get(ticket.ticketType.id) ?? 0) + 1);
      const short = [...asked].some(([typeId, count]) => result.leftByTicketType[typeId] < count);
      expect(result.left < orders[i].tickets.length || short).toBe(true);
    }
  });

  it("never lets the buyer's address block an order for others; an attendee already registered does", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const buyer = person("office-manager");
    expect((await placeOrder(db, group(edition, { free: 1 }, "solo", { buyer: person("someone") }))).ok).toBe(true);
    // The office manager attends nothing, buys twice for two teams: both go through.
    expect((await placeOrder(db, group(edition, { free: 2 }, "team1", { buyer }))).ok).toBe(true);
    expect((await placeOrder(db, group(edition, { free: 2 }, "team2", { buyer }))).ok).toBe(true);
    // A third order names, as its second attendee, someone who already holds a seat.
    const clash = group(edition, { free: 2 }, "team3", { buyer });
    clash.tickets[1].attendee = person("team1-free-0");
    expect(await placeOrder(db, clash)).toEqual({ ok: false, reason: "already_registered", positions: [2] });
    expect(await liveTickets(edition.id)).toBe(5);
  });

  it("counts a client's unpaid seats, not orders: one group always fits, a second over the cap does not", async () => {
    const edition = await createEdition(db, { capacity: 50, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const holdExpiresAt = new Date(Date.now() + 30 * 60_000);
    const unpaidHolder = { clientKey: `client-${edition.id}`, maxUnpaidHolds: 5 };
    const held = (tag: string, size: number) => group(edition, { paid: size }, tag, { holdExpiresAt, unpaidHolder });
    const first = await placeOrder(db, held("big", 8));
    expect(first.ok && first.order).toMatchObject({ status: "PENDING", amountCents: 8 * 4900 });
    expect(await placeOrder(db, held("more", 1))).toEqual({ ok: false, reason: "too_many_unpaid_holds" });
    expect(await liveTickets(edition.id)).toBe(8);
  });
});

describe("a group's registration request", () => {
  const groupRequest = (tickets: { ticketType: string; n: string; answers?: object }[], extra: object = {}) => ({
    buyer: { firstName: "Grace", lastName: "Hopper", email: "grace@example.org", company: "Navy" },
    locale: "en",
    tickets: tickets.map(({ ticketType, n, answers }) => ({
      ticketType,
      attendee: { firstName: "Ada", lastName: n, email: `${n}@example.org` },
      answers: answers ?? {},
    })),
    ...extra,
  });

  it("places a mixed group, held for payment at the sum of its prices", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      ticketTypes: [{ code: "standard", priceCents: 4900 }, { code: "speaker" }],
    });
    const body = groupRequest([
      { ticketType: "standard", n: "a1" },
      { ticketType: "speaker", n: "a2" },
      { ticketType: "standard", n: "a3" },
    ]);
    const result = await registerAttendee(db, edition.slug, body, { holdMinutes: 30 });
    expect(result.ok && result.order).toMatchObject({ status: "PENDING", amountCents: 9800, locale: "en" });
    if (!result.ok) return;
    const order = await db.order.findUniqueOrThrow({ where: { id: result.order.id }, include: { tickets: true } });
    expect(order).toMatchObject({ buyerEmail: "grace@example.org", buyerCompany: "Navy" });
    expect(order.tickets.map((ticket) => ticket.email).sort()).toEqual([
      "a1@example.org",
      "a2@example.org",
      "a3@example.org",
    ]);
  });

  it("names each bad field by its ticket, and writes nothing", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      questions: [{ key: "tshirt", type: "TEXT", required: true }],
    });
    const body = groupRequest([
      { ticketType: "free", n: "b1", answers: { tshirt: "M" } },
      { ticketType: "nope", n: "b2", answers: {} },
    ]);
    (body.tickets[0].attendee as { email: string }).email = "not-an-email";
    const result = await registerAttendee(db, edition.slug, body, HOLD);
    expect(result).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: {
        "tickets.0.attendee.email": ["invalid_email"],
      },
    });
    (body.tickets[0].attendee as { email: string }).email = "b1@example.org";
    expect(await registerAttendee(db, edition.slug, body, HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "tickets.1.answers.tshirt": ["invalid_type"], "tickets.1.ticketType": ["unknown_ticket_type"] },
    });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("holds the organiser's limits: tickets per order, per type, and one ticket per attendee", async () => {
    const edition = await createEdition(db, { capacity: 50, ticketTypes: [{ code: "free" }, { code: "vip" }] });
    await db.edition.update({ where: { id: edition.id }, data: { maxTicketsPerOrder: 3 } });
    await db.ticketType.update({ where: { id: edition.ticketTypes[1].id }, data: { maxPerOrder: 1 } });
    const four = groupRequest(["c1", "c2", "c3", "c4"].map((n) => ({ ticketType: "free", n })));
    expect(await registerAttendee(db, edition.slug, four, HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { tickets: ["too_many_tickets"] },
    });
    const twoVips = groupRequest(["d1", "d2"].map((n) => ({ ticketType: "vip", n })));
    expect(await registerAttendee(db, edition.slug, twoVips, HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { tickets: ["too_many_of_type"] },
    });
    const twice = groupRequest(["e1", "e1"].map((n) => ({ ticketType: "free", n })));
    expect(await registerAttendee(db, edition.slug, twice, HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "tickets.1.attendee.email": ["duplicate_attendee_email"] },
    });
    const mixed = { ...groupRequest([{ ticketType: "free", n: "f1" }]), ticketType: "free" };
    expect(await registerAttendee(db, edition.slug, mixed, HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { tickets: ["invalid_type"] },
    });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
    expect((await registerAttendee(db, edition.slug, groupRequest([{ ticketType: "vip", n: "g1" }]), HOLD)).ok).toBe(
      true,
    );
  });

  it("answers a group larger than what is left with how many are left, before taking the lock", async () => {
    const edition = await createEdition(db, { capacity: 3 });
    const five = groupRequest(["h1", "h2", "h3", "h4", "h5"].map((n) => ({ ticketType: "free", n })));
    expect(await registerAttendee(db, edition.slug, five, HOLD)).toEqual({
      ok: false,
      reason: "sold_out",
      left: 3,
      leftByCode: { free: 3 },
    });
  });
});
