import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { placeOrder, registerAttendee } from "@/lib/orders/register";
import { attendeeColumns } from "@/lib/exports/attendee-columns";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addComplimentaryTickets, cancelAttendee, editAttendee, resendConfirmation } from "./manage";
import { attendeeRowSelect, listAttendees, parseAttendeeFilter, streamAttendees } from "./query";

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

  it("reads each row as Prisma would (attendeeRowSelect), on a page and streamed, orders of every status", async () => {
    const edition = await createEdition(db, {
      capacity: 20,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    });
    const paid = await register(edition.slug, "paid", "paid");
    await payOrder(db, paid.orderId);
    await register(edition.slug, "paid", "held");
    const lapsed = await register(edition.slug, "paid", "lapsed");
    await db.order.update({ where: { id: lapsed.orderId }, data: { status: "EXPIRED", holdExpiresAt: null } });
    const checkedIn = await register(edition.slug, "free", "in", { company: "Zeta Corp" });
    await db.ticket.update({ where: { id: checkedIn.id }, data: { checkedInAt: new Date() } });
    const cancelled = await register(edition.slug, "free", "cancelled");
    await cancelAttendee(db, stripe, actor, edition.id, cancelled.id, { refund: false });

    const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const prisma = await db.ticket.findMany({ where: { editionId: edition.id }, select: attendeeRowSelect });
    const all = parseAttendeeFilter({ abandoned: "show" });
    const page = (await listAttendees(db, edition.id, all)).rows;
    const streamed = [];
    for await (const row of streamAttendees(db, edition.id, all)) streamed.push(row);
    expect(prisma).toHaveLength(5);
    expect(byId(page)).toEqual(byId(prisma));
    expect(byId(streamed)).toEqual(byId(prisma));
  });
});

describe("the code a ticket was bought with", () => {
  it("is on each row, in the export's column, and its tag filters the list", async () => {
    const edition = await createEdition(db, { capacity: 20, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const [paid] = edition.ticketTypes;
    const voucher = await db.voucher.create({
      data: { editionId: edition.id, code: "ACME-2345", codeKey: "ACME2345", effect: "FREE", maxUses: 5, tag: "acme" },
    });
    const placed = await placeOrder(db, {
      edition,
      buyer: { firstName: "Ada", lastName: "Sponsored", email: "ada.sponsored@example.org", company: null },
      tickets: [
        { ticketType: paid, attendee: null, answers: {}, priceCents: 0, voucherId: voucher.id, discountCents: 4900 },
      ],
      locale: "en",
      holdExpiresAt: null,
      checkOffer: true,
      now: new Date(),
    });
    if (!placed.ok) throw new Error(placed.reason);
    await register(edition.slug, "paid", "full-price");

    const byTag = (await listAttendees(db, edition.id, parseAttendeeFilter({ voucherTag: "acme" }))).rows;
    expect(byTag.map((row) => [row.order.buyerLastName, row.voucher])).toEqual([["Sponsored", { code: "ACME-2345" }]]);
    expect((await listAttendees(db, edition.id, parseAttendeeFilter({ voucherTag: "other" }))).total).toBe(0);
    const all = (await listAttendees(db, edition.id, parseAttendeeFilter({}))).rows;
    const prisma = await db.ticket.findMany({ where: { editionId: edition.id }, select: attendeeRowSelect });
    const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(all)).toEqual(byId(prisma));
    const column = attendeeColumns(edition, [], "en").find((candidate) => candidate.id === "voucherCode")!;
    expect(all.map((row) => column.value(row)).sort()).toEqual(["ACME-2345", null]);
    expect(column.header).toEqual({ fr: "Code de réduction", en: "Voucher code" });
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
    const first = await addComplimentaryTickets(db, actor, edition.id, request("1"));
    expect(first.ok).toBe(true);
    await db.edition.update({ where: { id: edition.id }, data: { status: "CLOSED" } });
    expect((await addComplimentaryTickets(db, actor, edition.id, request("2"))).ok).toBe(true);
    expect(await addComplimentaryTickets(db, actor, edition.id, request("3"))).toEqual({
      ok: false,
      reason: "sold_out",
      left: 0,
      leftByCode: { paid: 0 },
    });
    expect(await addComplimentaryTickets(db, actor, edition.id, request("2"))).toMatchObject({ ok: false });
    expect(await addComplimentaryTickets(db, actor, edition.id, { ...request("4"), ticketType: "nope" })).toMatchObject(
      {
        ok: false,
        fieldErrors: { ticketType: ["unknown_ticket_type"] },
      },
    );
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

  describe("a complimentary group", () => {
    const sponsor = { firstName: "Jeanne", lastName: "Martin", email: "jeanne@acme.example", company: "Acme" };
    const person = (n: string) => ({ firstName: "Ada", lastName: `Lovelace ${n}`, email: `ada.${n}@acme.example` });
    const group = (tickets: { ticketType: string; attendee: ReturnType<typeof person> | null }[]) => ({
      buyer: sponsor,
      tickets: tickets.map((ticket) => ({ ...ticket, answers: {} })),
      locale: "en",
    });
    const seatsHeld = async (editionId: string) => {
      const usage = await getSeatUsage(db, editionId);
      return usage.confirmed + usage.held;
    };

    it("gives a sponsor 3 tickets, one unnamed: confirmed at once, priced 0, emailed and audited", async () => {
      const edition = await createEdition(db, {
        capacity: 10,
        status: "CLOSED",
        // A hidden type given only by the organisers, and a paid one given free.
        ticketTypes: [
          { code: "sponsor", active: false },
          { code: "paid", priceCents: 4900 },
        ],
        questions: [{ key: "bio", type: "TEXT", required: true }],
      });
      const given = await addComplimentaryTickets(
        db,
        actor,
        edition.id,
        group([
          { ticketType: "sponsor", attendee: person("1") },
          { ticketType: "paid", attendee: person("2") },
          { ticketType: "paid", attendee: null },
        ]),
      );
      if (!given.ok) throw new Error(JSON.stringify(given));
      const order = await db.order.findUniqueOrThrow({
        where: { id: given.orderId },
        include: { tickets: { orderBy: { position: "asc" }, include: { ticketType: true } } },
      });
      expect(order).toMatchObject({
        status: "CONFIRMED",
        statusReason: "complimentary",
        amountCents: 0,
        reference: given.reference,
        buyerEmail: sponsor.email,
        buyerCompany: "Acme",
      });
      expect(
        order.tickets.map((ticket) => [ticket.position, ticket.ticketType.code, ticket.priceCents, ticket.email]),
      ).toEqual([
        [1, "sponsor", 0, "ada.1@acme.example"],
        [2, "paid", 0, "ada.2@acme.example"],
        [3, "paid", 0, null],
      ]);
      expect(given.ticketIds).toEqual(order.tickets.map((ticket) => ticket.id));
      expect(await seatsHeld(edition.id)).toBe(3);

      const emails = await db.emailOutbox.findMany({ where: { orderId: order.id }, orderBy: { toAddress: "asc" } });
      expect(emails.map((email) => [email.kind, email.toAddress])).toEqual([
        ["ticket_issued", "ada.1@acme.example"],
        ["ticket_issued", "ada.2@acme.example"],
        ["order_confirmation", sponsor.email],
      ]);

      const audit = await db.auditEntry.findMany({
        where: { editionId: edition.id, action: "attendee.complimentary_added" },
      });
      const bySubject = new Map(audit.map((entry) => [entry.subjectId, entry]));
      expect(order.tickets.map((ticket) => bySubject.get(ticket.id)?.actorEmail)).toEqual(Array(3).fill(actor.email));
      expect(bySubject.get(order.tickets[0].id)?.after).toMatchObject({
        ticketType: "sponsor",
        ...person("1"),
        buyer: sponsor,
      });
      expect(bySubject.get(order.tickets[2].id)?.after).toEqual({ ticketType: "paid", buyer: sponsor });
    });

    it("refuses a group larger than the seats left with how many are left, and holds nothing", async () => {
      const edition = await createEdition(db, { capacity: 5 });
      await register(edition.slug, "free", "early-1");
      await register(edition.slug, "free", "early-2");
      const five = group(["1", "2", "3", "4", "5"].map((n) => ({ ticketType: "free", attendee: person(n) })));
      expect(await addComplimentaryTickets(db, actor, edition.id, five)).toEqual({
        ok: false,
        reason: "sold_out",
        left: 3,
        leftByCode: { free: 3 },
      });
      expect(await seatsHeld(edition.id)).toBe(2);
      expect(await db.order.count({ where: { editionId: edition.id } })).toBe(2);
      expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(0);
      // The three that are left can still be given.
      expect(
        (await addComplimentaryTickets(db, actor, edition.id, { ...five, tickets: five.tickets.slice(0, 3) })).ok,
      ).toBe(true);
    });

    it("keeps within a ticket type's quota, whatever the room left in the edition", async () => {
      const edition = await createEdition(db, {
        capacity: 20,
        ticketTypes: [{ code: "free" }, { code: "vip", quota: 2 }],
      });
      await register(edition.slug, "vip", "vip-1");
      const asked = group([
        { ticketType: "free", attendee: person("1") },
        { ticketType: "vip", attendee: person("2") },
        { ticketType: "vip", attendee: null },
      ]);
      expect(await addComplimentaryTickets(db, actor, edition.id, asked)).toEqual({
        ok: false,
        reason: "sold_out",
        left: 19,
        leftByCode: { free: 19, vip: 1 },
      });
      expect(await seatsHeld(edition.id)).toBe(1);
    });

    it("answers per field: order limits, an address twice or taken, unnamed where not allowed", async () => {
      const edition = await createEdition(db, { capacity: 20 });
      await db.edition.update({ where: { id: edition.id }, data: { maxTicketsPerOrder: 3, allowNameLater: false } });
      await register(edition.slug, "free", "taken");
      const four = group(["1", "2", "3", "4"].map((n) => ({ ticketType: "free", attendee: person(n) })));
      expect(await addComplimentaryTickets(db, actor, edition.id, four)).toMatchObject({
        ok: false,
        reason: "invalid",
        fieldErrors: { tickets: ["too_many_tickets"] },
      });
      const twice = group([
        { ticketType: "free", attendee: person("1") },
        { ticketType: "free", attendee: person("1") },
        { ticketType: "nope", attendee: null },
      ]);
      expect(await addComplimentaryTickets(db, actor, edition.id, twice)).toEqual({
        ok: false,
        reason: "invalid",
        fieldErrors: {
          "tickets.1.attendee.email": ["duplicate_attendee_email"],
          "tickets.2.ticketType": ["unknown_ticket_type"],
          "tickets.2.attendee": ["required"],
        },
      });
      const clash = group([
        { ticketType: "free", attendee: person("1") },
        { ticketType: "free", attendee: { ...person("2"), email: "ada.taken@example.org" } },
      ]);
      expect(await addComplimentaryTickets(db, actor, edition.id, clash)).toEqual({
        ok: false,
        reason: "already_registered",
        fieldErrors: { "tickets.1.attendee.email": ["already_registered"] },
      });
      expect(await db.order.count({ where: { editionId: edition.id } })).toBe(1);
    });
  });
});
