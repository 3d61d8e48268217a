import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addComplimentaryTicket, cancelAttendee, editAttendee, resendConfirmation } from "./manage";
import { listAttendees, parseAttendeeFilter, streamAttendees } from "./query";

const { db } = await useTestDatabase();
const { stripe, payOrder } = await useLocalStripe();
const actor = { id: "00000000-0000-4000-8000-000000000002", email: "organiser@example.org" };

async function register(slug: string, type: string, n: string, extra: Record<string, unknown> = {}) {
  const result = await registerAttendee(db, slug, attendeeRequest(type, n, extra), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
}

const names = async (editionId: string, query: Record<string, string>) =>
  (await listAttendees(db, editionId, parseAttendeeFilter(query))).rows.map((row) => row.lastName).sort();

describe("the attendee list", () => {
  it("searches names, emails, companies and references, and filters by type, status, check-in and answer", async () => {
    const edition = await createEdition(db, {
      capacity: 20,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
      questions: [
        {
          key: "tshirt",
          type: "SELECT",
          options: ["s", "m"].map((value) => ({ value, labelFr: value, labelEn: value })),
        },
        { key: "dinner", type: "CHECKBOX" },
      ],
    });
    const small = await register(edition.slug, "free", "small", { answers: { tshirt: "s", dinner: true } });
    await register(edition.slug, "free", "medium", { answers: { tshirt: "m" } });
    await register(edition.slug, "paid", "held");
    await db.ticket.update({ where: { id: small.id }, data: { checkedInAt: new Date(), company: "Zeta Corp" } });
    const { reference } = await db.order.findUniqueOrThrow({ where: { id: small.orderId } });

    expect(await names(edition.id, {})).toEqual(["Lovelace held", "Lovelace medium", "Lovelace small"]);
    expect(await names(edition.id, { q: "MEDIUM" })).toEqual(["Lovelace medium"]);
    expect(await names(edition.id, { q: "zeta" })).toEqual(["Lovelace small"]);
    expect(await names(edition.id, { q: reference.toLowerCase() })).toEqual(["Lovelace small"]);
    expect(await names(edition.id, { q: "ada.held@" })).toEqual(["Lovelace held"]);
    expect(await names(edition.id, { ticketType: "paid" })).toEqual(["Lovelace held"]);
    expect(await names(edition.id, { status: "pending" })).toEqual(["Lovelace held"]);
    expect(await names(edition.id, { status: "confirmed" })).toEqual(["Lovelace medium", "Lovelace small"]);
    expect(await names(edition.id, { checkedIn: "yes" })).toEqual(["Lovelace small"]);
    expect(await names(edition.id, { checkedIn: "no" })).toEqual(["Lovelace held", "Lovelace medium"]);
    expect(await names(edition.id, { answer: "tshirt=m" })).toEqual(["Lovelace medium"]);
    expect(await names(edition.id, { answer: "dinner=true" })).toEqual(["Lovelace small"]);
    expect(await names(edition.id, { answer: "dinner=false", status: "confirmed" })).toEqual(["Lovelace medium"]);
    // Nonsense in the query string is ignored, not an error.
    expect(await names(edition.id, { status: "bogus", page: "-4", answer: "x" })).toHaveLength(3);
  });

  it("streams every matching row once, in batches, whatever the batch size", async () => {
    const edition = await createEdition(db, { capacity: 20 });
    for (let n = 0; n < 7; n++) await register(edition.slug, "free", `stream-${n}`);
    const seen: string[] = [];
    for await (const row of streamAttendees(db, edition.id, parseAttendeeFilter({}), { batchSize: 3 }))
      seen.push(row.id);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });
});

describe("organiser actions on an attendee", () => {
  it("edits details whatever the deadline, audited with before and after", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const ticket = await register(edition.slug, "free", "edit");
    expect(
      await editAttendee(db, actor, edition.id, ticket.id, {
        attendee: { firstName: "Augusta", lastName: "King", company: "" },
        answers: {},
      }),
    ).toEqual({ ok: true, ticketId: ticket.id });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({
      firstName: "Augusta",
      lastName: "King",
      company: null,
    });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { subjectId: ticket.id, action: "attendee.edited" } });
    expect(entry.before).toMatchObject({ firstName: "Ada", company: "Analytical" });
    expect(entry.after).toMatchObject({ firstName: "Augusta", company: null });
    expect(
      await editAttendee(db, actor, edition.id, ticket.id, {
        attendee: { firstName: "", lastName: "King" },
        answers: {},
      }),
    ).toMatchObject({ ok: false, reason: "invalid" });
    const other = await createEdition(db, { capacity: 5 });
    expect(
      await editAttendee(db, actor, other.id, ticket.id, { attendee: { firstName: "X", lastName: "Y" }, answers: {} }),
    ).toEqual({ ok: false, reason: "not_found" });
  });

  it("resends the confirmation as a new email each time", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const ticket = await register(edition.slug, "free", "resend");
    await resendConfirmation(db, actor, edition.id, ticket.id, new Date(1));
    await resendConfirmation(db, actor, edition.id, ticket.id, new Date(2));
    expect(await db.emailOutbox.count({ where: { orderId: ticket.orderId, kind: "order_confirmation" } })).toBe(3);
  });

  it("cancels without refund: the seat is free again and the money stays", async () => {
    const edition = await createEdition(db, { capacity: 1 });
    const ticket = await register(edition.slug, "free", "cancel");
    expect(await cancelAttendee(db, stripe, actor, edition.id, ticket.id, { refund: false })).toEqual({
      ok: true,
      ticketId: ticket.id,
    });
    expect(await db.order.findUniqueOrThrow({ where: { id: ticket.orderId } })).toMatchObject({
      status: "CANCELLED",
      statusReason: "organiser_cancelled",
    });
    expect((await getSeatUsage(db, edition.id, new Date())).confirmed).toBe(0);
    expect(await cancelAttendee(db, stripe, actor, edition.id, ticket.id, { refund: false })).toEqual({
      ok: false,
      reason: "not_confirmed",
    });
    expect((await register(edition.slug, "free", "takes-the-seat")).status).toBe("ACTIVE");
  });

  it("cancels with a full Stripe refund, once, and refuses to refund a free ticket", async () => {
    const edition = await createEdition(db, {
      capacity: 3,
      ticketTypes: [{ code: "paid", priceCents: 4900 }, { code: "free" }],
    });
    const ticket = await register(edition.slug, "paid", "refund");
    await payOrder(db, ticket.orderId);
    const results = await Promise.all(
      [1, 2].map(() => cancelAttendee(db, stripe, actor, edition.id, ticket.id, { refund: true })),
    );
    expect(results).toEqual([
      { ok: true, ticketId: ticket.id },
      { ok: true, ticketId: ticket.id },
    ]);
    const order = await db.order.findUniqueOrThrow({ where: { id: ticket.orderId }, include: { refunds: true } });
    expect(order).toMatchObject({
      status: "REFUNDED",
      refunds: [{ status: "SUCCEEDED", amountCents: 4900, reason: "organiser_cancelled" }],
    });
    expect(await db.auditEntry.count({ where: { subjectId: ticket.id, action: "attendee.cancelled_refunded" } })).toBe(
      1,
    );
    const free = await register(edition.slug, "free", "no-money");
    expect(await cancelAttendee(db, stripe, actor, edition.id, free.id, { refund: true })).toEqual({
      ok: false,
      reason: "not_refundable",
    });
  });

  it("cancels one member of a group, refunding that ticket's price only, and lists it as refunded", async () => {
    const edition = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const tickets = ["first", "second"].map((name) => ({
      ticketType: "paid",
      attendee: { firstName: "Ada", lastName: name, email: `${name}-${edition.slug}@example.org` },
    }));
    const buyer = { firstName: "Grace", lastName: "Hopper", email: `buyer-${edition.slug}@example.org` };
    const placed = await registerAttendee(db, edition.slug, { buyer, tickets, locale: "en" }, { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);
    await payOrder(db, placed.order.id);
    const [first, second] = await db.ticket.findMany({
      where: { orderId: placed.order.id },
      orderBy: { position: "asc" },
    });
    expect(await cancelAttendee(db, stripe, actor, edition.id, second.id, { refund: true })).toEqual({
      ok: true,
      ticketId: second.id,
    });
    const order = await db.order.findUniqueOrThrow({
      where: { id: placed.order.id },
      include: { refunds: true, tickets: { orderBy: { position: "asc" } } },
    });
    expect(order).toMatchObject({
      status: "CONFIRMED",
      refunds: [{ ticketId: second.id, amountCents: 4900, status: "SUCCEEDED", reason: "organiser_cancelled" }],
    });
    expect(order.tickets.map((ticket) => ticket.status)).toEqual(["ACTIVE", "REFUNDED"]);
    const audit = { subjectId: second.id, action: "attendee.cancelled_refunded" };
    expect(await db.auditEntry.findFirstOrThrow({ where: audit })).toMatchObject({ after: { amountCents: 4900 } });
    expect(await names(edition.id, { status: "refunded" })).toEqual(["second"]);
    expect(await names(edition.id, { status: "confirmed" })).toEqual(["first"]);
    // Without refund, the last member ends the order: refunded, since money already went back.
    expect((await cancelAttendee(db, stripe, actor, edition.id, first.id, { refund: false })).ok).toBe(true);
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.order.id } })).toMatchObject({ status: "REFUNDED" });
  });

  it("adds complimentary tickets within capacity, even once registration has closed", async () => {
    const edition = await createEdition(db, {
      capacity: 2,
      ticketTypes: [{ code: "paid", priceCents: 4900 }],
      questions: [{ key: "bio", type: "TEXT", required: true }],
    });
    const request = (n: string) => ({
      ticketType: "paid",
      attendee: { firstName: "Grace", lastName: `Hopper ${n}`, email: `grace.${n}@example.org` },
      answers: {},
      locale: "en",
    });
    const first = await addComplimentaryTicket(db, actor, edition.id, request("1"));
    expect(first.ok).toBe(true);
    await db.edition.update({ where: { id: edition.id }, data: { status: "CLOSED" } });
    expect((await addComplimentaryTicket(db, actor, edition.id, request("2"))).ok).toBe(true);
    expect(await addComplimentaryTicket(db, actor, edition.id, request("3"))).toEqual({
      ok: false,
      reason: "sold_out",
    });
    expect(await addComplimentaryTicket(db, actor, edition.id, request("2"))).toMatchObject({ ok: false });
    expect(await addComplimentaryTicket(db, actor, edition.id, { ...request("4"), ticketType: "nope" })).toMatchObject({
      ok: false,
      fieldErrors: { ticketType: ["unknown_ticket_type"] },
    });
    const orders = await db.order.findMany({ where: { editionId: edition.id } });
    expect(orders.map((order) => [order.status, order.amountCents, order.statusReason])).toEqual([
      ["CONFIRMED", 0, "complimentary"],
      ["CONFIRMED", 0, "complimentary"],
    ]);
    expect(await db.emailOutbox.count({ where: { orderId: { in: orders.map((order) => order.id) } } })).toBe(2);
    expect(
      await db.auditEntry.count({ where: { editionId: edition.id, action: "attendee.complimentary_added" } }),
    ).toBe(2);
  });
});
