import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { composeEmail } from "@/lib/notifications/renderers";
import { registerAttendee } from "@/lib/orders/register";
import { cancelOwnTicket, cancelTicketAsAttendee } from "./self-service";
import { nameTicket } from "./naming";
import { resendTicketFromOrder, TICKET_RESEND_MINUTES } from "./resend-ticket";

const { db } = await useTestDatabase();
const { stripe, payOrder, amountRefunded } = await useLocalStripe();
const { privateKey } = generateKeyPairSync("ed25519");
const deps = { appUrl: "https://tickets.example.org", signingKey: privateKey, db };

const person = (tag: string) => ({
  firstName: "Ada",
  lastName: tag,
  email: `${tag}.${randomUUID().slice(0, 8)}@example.org`,
});

const emailInclude = {
  order: {
    include: {
      edition: true,
      tickets: { include: { ticketType: true }, orderBy: { position: "asc" as const } },
      invoices: true,
    },
  },
};
const outbox = (orderId: string) =>
  db.emailOutbox.findMany({ where: { orderId }, orderBy: { createdAt: "asc" }, include: emailInclude });

async function textOf(email: Awaited<ReturnType<typeof outbox>>[number]) {
  const composed = await composeEmail(deps, email);
  if (typeof composed === "string" || !("send" in composed)) throw new Error("the email should leave");
  return composed.send;
}

/**
 * A confirmed group bought by someone who does not attend: a 49 € ticket, a 15 € one and an unnamed
 * free one, paid by card through Checkout. The edition refunds until 1 May 2027.
 */
async function paidGroup({ attendeesMayCancel = true } = {}) {
  const edition = await createEdition(db, {
    capacity: 10,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "student", priceCents: 1500 },
      { code: "speaker", priceCents: 0 },
    ],
  });
  await db.edition.update({
    where: { id: edition.id },
    data: { attendeesMayCancel, refundDeadline: new Date("2027-05-01T00:00:00Z") },
  });
  const buyer = person("buyer");
  const body = {
    buyer,
    locale: "en",
    tickets: [
      { ticketType: "standard", attendee: person("first") },
      { ticketType: "student", attendee: person("second") },
      { ticketType: "speaker", attendee: null },
    ],
  };
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35 });
  if (!placed.ok) throw new Error(placed.reason);
  await payOrder(db, placed.order.id);
  const order = await db.order.findUniqueOrThrow({
    where: { id: placed.order.id },
    include: { tickets: { orderBy: { position: "asc" } } },
  });
  expect(order.status).toBe("CONFIRMED");
  return { edition, buyer, order, tickets: order.tickets };
}

describe("the buyer resends one ticket", () => {
  it("emails that ticket again to its attendee, through the outbox, once per ticket every few minutes", async () => {
    const { order, tickets } = await paidGroup();
    const [first, second] = tickets;
    const now = new Date();
    const issuedBefore = (await outbox(order.id)).filter((email) => email.kind === "ticket_issued").length;

    expect(await resendTicketFromOrder(db, order.accessToken, first.id, now)).toEqual({
      ok: true,
      sentTo: first.email,
    });
    const resent = (await outbox(order.id)).filter((email) => email.kind === "ticket_issued").slice(issuedBefore);
    expect(resent.map((email) => email.toAddress)).toEqual([first.email]);
    // The attendee's own ticket and link, never the buyer's order link.
    const sent = await textOf(resent[0]);
    expect(sent.text).toContain(`https://tickets.example.org/en/tickets/${first.accessToken}`);
    expect(sent.text).not.toContain(order.accessToken);
    expect(sent.attachments).toHaveLength(2);

    // A second click a minute later is refused, and says how long to wait; another ticket is not held up.
    const soon = new Date(now.getTime() + 60_000);
    expect(await resendTicketFromOrder(db, order.accessToken, first.id, soon)).toEqual({
      ok: false,
      reason: "rate_limited",
      minutes: TICKET_RESEND_MINUTES,
    });
    expect(await resendTicketFromOrder(db, order.accessToken, second.id, soon)).toMatchObject({ ok: true });

    // Once the window has passed, it goes again, as a new email rather than a duplicate dropped by its key.
    const later = new Date(now.getTime() + TICKET_RESEND_MINUTES * 60_000 + 1000);
    expect(await resendTicketFromOrder(db, order.accessToken, first.id, later)).toMatchObject({ ok: true });
    const toFirst = (await outbox(order.id)).filter(
      (email) => email.kind === "ticket_issued" && email.toAddress === first.email,
    );
    expect(new Set(toFirst.map((email) => email.dedupeKey)).size).toBe(toFirst.length);
    expect(toFirst.length).toBe(3);
  });

  it("refuses an unnamed ticket, a cancelled one, and a ticket of another order", async () => {
    const { order, tickets } = await paidGroup();
    const other = await paidGroup();
    const [first, second, unnamed] = tickets;
    const before = (await outbox(order.id)).length;
    expect(await resendTicketFromOrder(db, order.accessToken, unnamed.id)).toEqual({
      ok: false,
      reason: "not_allowed",
    });
    expect(await cancelOwnTicket(db, stripe, order.accessToken, second.id)).toMatchObject({ ok: true });
    const afterCancel = (await outbox(order.id)).length;
    expect(await resendTicketFromOrder(db, order.accessToken, second.id)).toEqual({ ok: false, reason: "not_allowed" });
    expect(await resendTicketFromOrder(db, other.order.accessToken, first.id)).toEqual({
      ok: false,
      reason: "not_found",
    });
    // The attendee's link is not the buyer's: it resends nothing.
    expect(await resendTicketFromOrder(db, first.accessToken!, first.id)).toEqual({ ok: false, reason: "not_found" });
    expect((await outbox(order.id)).length).toBe(afterCancel);
    expect(afterCancel).toBeGreaterThan(before);

    // Named later, the ticket has someone to go to.
    const attendee = person("third");
    expect(await nameTicket(db, order.accessToken, { ticketId: unnamed.id, attendee })).toEqual({ ok: true });
    expect(await resendTicketFromOrder(db, order.accessToken, unnamed.id)).toEqual({
      ok: true,
      sentTo: attendee.email,
    });
  });
});

describe("an attendee cancels their own ticket", () => {
  it("is refused when the edition does not let attendees cancel, and nothing changes", async () => {
    const { order, tickets } = await paidGroup({ attendeesMayCancel: false });
    const outcome = await cancelTicketAsAttendee(db, stripe, tickets[0].accessToken!);
    expect(outcome).toEqual({ ok: false, reason: "not_allowed" });
    const after = await db.ticket.findUniqueOrThrow({ where: { id: tickets[0].id } });
    expect(after.status).toBe("ACTIVE");
    expect(await db.refund.count({ where: { orderId: order.id } })).toBe(0);
    expect(await amountRefunded(order.paymentIntentId!)).toBe(0);
  });

  it("refunds that ticket's price to the buyer's card and tells the buyer, once under a double submit", async () => {
    const { buyer, order, tickets } = await paidGroup();
    const student = tickets[1];
    const outcomes = await Promise.all([1, 2].map(() => cancelTicketAsAttendee(db, stripe, student.accessToken!)));
    expect(outcomes).toContainEqual({ ok: true, outcome: "refunded" });
    expect(outcomes).toContainEqual({ ok: false, reason: "already_refunded" });

    const refunds = await db.refund.findMany({ where: { orderId: order.id } });
    expect(refunds).toEqual([
      expect.objectContaining({ ticketId: student.id, amountCents: 1500, reason: "attendee_cancelled_ticket" }),
    ]);
    expect(await amountRefunded(order.paymentIntentId!)).toBe(1500);
    const after = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { tickets: true } });
    expect(after.status).toBe("CONFIRMED");
    expect(after.tickets.find((ticket) => ticket.id === student.id)?.status).toBe("REFUNDED");
    expect(after.tickets.filter((ticket) => ticket.status === "ACTIVE")).toHaveLength(2);

    const notices = (await outbox(order.id)).filter((email) => email.kind === "order_refunded");
    expect(notices.map((email) => email.toAddress)).toEqual([buyer.email]);
    const sent = await textOf(notices[0]);
    expect(sent.subject).toContain("was cancelled by its attendee: €15.00 refunded");
    expect(sent.text).toContain(`The attendee has cancelled ticket 2 (Ada second) of your order ${order.reference}`);
    expect(sent.text).toContain("€15.00 is refunded to the card you paid with");
  });

  it("keeps to the refund window, and a link replaced by a rename cancels nothing", async () => {
    const { order, tickets } = await paidGroup();
    const [first, second] = tickets;
    const afterDeadline = new Date("2027-05-02T00:00:00Z");
    expect(await cancelTicketAsAttendee(db, stripe, first.accessToken!, afterDeadline)).toEqual({
      ok: false,
      reason: "not_allowed",
    });
    // The buyer gives the second ticket to someone else: the previous attendee's link no longer opens it.
    expect(await nameTicket(db, order.accessToken, { ticketId: second.id, attendee: person("new") })).toEqual({
      ok: true,
    });
    expect(await cancelTicketAsAttendee(db, stripe, second.accessToken!)).toEqual({ ok: false, reason: "not_found" });
    // The buyer's order link is not a ticket link.
    expect(await cancelTicketAsAttendee(db, stripe, order.accessToken)).toEqual({ ok: false, reason: "not_found" });
    expect(await db.ticket.count({ where: { orderId: order.id, status: "ACTIVE" } })).toBe(3);
  });
});
