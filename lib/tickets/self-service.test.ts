import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { startCheckout } from "@/lib/payments/checkout";
import { handleStripeWebhook } from "@/lib/payments/webhook";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { holdRowLock, waitForLockWaiters } from "@/devtools/testing/row-locks";
import {
  cancelForRefund,
  cancelFreeRegistration,
  editAttendeeDetails,
  retryOwnRefund,
  cancelOwnTicket,
  selfServiceRights,
  ticketCancelRight,
  transferTicket,
} from "./self-service";

const { db } = await useTestDatabase();
const { stripe, faults, payWithCard, waitForDelivery, payOrder } = await useLocalStripe();

async function freeOrder(options: { editDeadline?: Date } = {}) {
  const edition = await createEdition(db, { capacity: 5, questions: [{ key: "diet", type: "TEXT" }] });
  if (options.editDeadline)
    await db.edition.update({ where: { id: edition.id }, data: { editDeadline: options.editDeadline } });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return { edition, order: result.order };
}

const edition = {
  startsAt: new Date("2027-05-20T07:00:00Z"),
  editDeadline: null,
  refundDeadline: new Date("2027-05-01T00:00:00Z"),
};

describe("selfServiceRights", () => {
  it("follows the edition's deadlines and the order's kind", () => {
    const now = new Date("2027-04-01T00:00:00Z");
    expect(selfServiceRights({ status: "CONFIRMED", amountCents: 0, paymentIntentId: null, edition }, now)).toEqual({
      canEdit: true,
      canTransfer: true,
      canCancelFree: true,
      canCancelForRefund: false,
    });
    expect(
      selfServiceRights({ status: "CONFIRMED", amountCents: 4900, paymentIntentId: "pi_1", edition }, now)
        .canCancelForRefund,
    ).toBe(true);
    expect(
      selfServiceRights(
        { status: "CONFIRMED", amountCents: 4900, paymentIntentId: "pi_1", edition },
        new Date("2027-05-02T00:00:00Z"),
      ).canCancelForRefund,
    ).toBe(false);
    expect(
      selfServiceRights(
        { status: "CONFIRMED", amountCents: 0, paymentIntentId: null, edition: { ...edition, editDeadline: now } },
        now,
      ).canEdit,
    ).toBe(false);
    expect(selfServiceRights({ status: "CANCELLED", amountCents: 0, paymentIntentId: null, edition }, now)).toEqual({
      canEdit: false,
      canTransfer: false,
      canCancelFree: false,
      canCancelForRefund: false,
    });
  });
});

describe("cancelling one ticket of a group", () => {
  const paidOrder = { status: "CONFIRMED", amountCents: 6400, paymentIntentId: "pi_1", edition };
  const active = (priceCents: number) => ({ status: "ACTIVE", priceCents });

  it("is allowed for a paid ticket within the refund window and a free one before the edition", () => {
    const now = new Date("2027-05-10T00:00:00Z");
    expect(ticketCancelRight(paidOrder, active(4900), new Date("2027-04-01T00:00:00Z"))).toBe("refund");
    expect(ticketCancelRight(paidOrder, active(4900), now)).toBeNull();
    expect(ticketCancelRight(paidOrder, active(0), now)).toBe("free");
    expect(ticketCancelRight(paidOrder, active(0), new Date("2027-05-20T08:00:00Z"))).toBeNull();
    expect(
      ticketCancelRight({ ...paidOrder, edition: { ...edition, refundDeadline: null } }, active(4900), now),
    ).toBeNull();
    expect(ticketCancelRight(paidOrder, { status: "REFUNDED", priceCents: 4900 }, now)).toBeNull();
    expect(ticketCancelRight({ ...paidOrder, status: "REFUNDED" }, active(0), now)).toBeNull();
  });

  it("lets the buyer cancel one ticket through the order's link, within the window only", async () => {
    const group = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    await db.edition.update({ where: { id: group.id }, data: { refundDeadline: new Date("2027-05-01T00:00:00Z") } });
    const tickets = [1, 2].map((n) => ({
      ticketType: "paid",
      attendee: { firstName: "Ada", lastName: `Member ${n}`, email: `${randomUUID()}@example.org` },
    }));
    const buyer = { firstName: "Grace", lastName: "Hopper", email: `${randomUUID()}@example.org` };
    const placed = await registerAttendee(db, group.slug, { buyer, tickets, locale: "en" }, { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);
    await payOrder(db, placed.order.id);
    const [first, second] = await db.ticket.findMany({
      where: { orderId: placed.order.id },
      orderBy: { position: "asc" },
    });
    const token = placed.order.accessToken;
    const late = new Date("2027-05-02T00:00:00Z");
    expect(await cancelOwnTicket(db, stripe, token, second.id, late)).toEqual({ ok: false, reason: "not_allowed" });
    expect(await cancelOwnTicket(db, stripe, "x".repeat(43), second.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await cancelOwnTicket(db, stripe, token, second.id)).toEqual({ ok: true, outcome: "refunded" });
    expect(await cancelOwnTicket(db, stripe, token, second.id)).toEqual({ ok: false, reason: "already_refunded" });
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.order.id }, include: { refunds: true } });
    expect(order).toMatchObject({ status: "CONFIRMED", refunds: [{ ticketId: second.id, amountCents: 4900 }] });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("ACTIVE");
  });
});

describe("self-service", () => {
  it("edits details and answers, refusing bad input and anything after the deadline", async () => {
    const { order } = await freeOrder();
    expect(
      await editAttendeeDetails(db, order.accessToken, {
        attendee: { firstName: "Augusta", lastName: "King", company: "" },
        answers: { diet: "vegan" },
      }),
    ).toEqual({ ok: true });
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(ticket).toMatchObject({ firstName: "Augusta", lastName: "King", company: null, answers: { diet: "vegan" } });
    const bad = await editAttendeeDetails(db, order.accessToken, {
      attendee: { firstName: "", lastName: "King" },
      answers: {},
    });
    expect(bad).toEqual({ ok: false, reason: "invalid", fieldErrors: { "attendee.firstName": ["required"] } });
    expect(await editAttendeeDetails(db, "x".repeat(32), { attendee: {}, answers: {} })).toEqual({
      ok: false,
      reason: "not_found",
    });

    const late = await freeOrder({ editDeadline: new Date(Date.now() - 1000) });
    expect(
      await editAttendeeDetails(db, late.order.accessToken, {
        attendee: { firstName: "A", lastName: "B" },
        answers: {},
      }),
    ).toEqual({ ok: false, reason: "not_allowed" });
  });

  it("cancels a free registration and gives the seat back at once", async () => {
    const { edition, order } = await freeOrder();
    expect((await getSeatUsage(db, edition.id, new Date())).confirmed).toBe(1);
    expect(await cancelFreeRegistration(db, order.accessToken)).toEqual({ ok: true });
    expect((await getSeatUsage(db, edition.id, new Date())).confirmed).toBe(0);
    expect(await cancelFreeRegistration(db, order.accessToken)).toEqual({ ok: false, reason: "not_allowed" });
  });

  it("transfers a ticket: new holder, new code and link, both notified once", async () => {
    const { edition, order } = await freeOrder();
    const before = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    const result = await transferTicket(db, order.accessToken, {
      firstName: "Grace",
      lastName: "Hopper",
      email: "Grace@Example.org",
    });
    expect(result).toEqual({ ok: true, transferredTo: "grace@example.org" });
    const after = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(after).toMatchObject({
      firstName: "Grace",
      email: "grace@example.org",
      codeVersion: before.codeVersion + 1,
    });
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).accessToken).not.toBe(order.accessToken);
    const emails = await db.emailOutbox.findMany({ where: { orderId: order.id }, orderBy: { kind: "asc" } });
    expect(emails.map((e) => [e.kind, e.toAddress])).toEqual([
      ["order_confirmation", before.email],
      ["ticket_transfer_received", "grace@example.org"],
      ["ticket_transfer_sent", before.email],
    ]);
    // The old link no longer works.
    expect(
      await transferTicket(db, order.accessToken, { firstName: "X", lastName: "Y", email: "x@example.org" }),
    ).toEqual({ ok: false, reason: "not_found" });

    // Nobody can be given a second seat in the same edition.
    const other = await registerAttendee(db, edition.slug, attendeeRequest("free", "other"), { holdMinutes: 35 });
    if (!other.ok) throw new Error(other.reason);
    expect(
      await transferTicket(db, other.order.accessToken, {
        firstName: "Grace",
        lastName: "Hopper",
        email: "grace@example.org",
      }),
    ).toEqual({
      ok: false,
      reason: "already_registered",
    });
    expect((await transferTicket(db, other.order.accessToken, { firstName: "", lastName: "", email: "nope" })).ok).toBe(
      false,
    );
  });
});

async function paidOrder() {
  const edition = await createEdition(db, {
    capacity: 5,
    ticketTypes: [{ code: "paid", priceCents: 4900 }],
    questions: [{ key: "diet", type: "TEXT", required: true }],
  });
  await db.edition.update({ where: { id: edition.id }, data: { refundDeadline: new Date(Date.now() + 86_400_000) } });
  const request = attendeeRequest("paid", randomUUID(), { answers: { diet: "none" } });
  const registered = await registerAttendee(db, edition.slug, request, { holdMinutes: 35 });
  if (!registered.ok) throw new Error(registered.reason);
  const checkout = await startCheckout(db, stripe, registered.order.id, { appUrl: "http://app.test" });
  if (!checkout.ok) throw new Error(checkout.reason);
  const sessionId = checkout.url.split("/").pop()!;
  await payWithCard(sessionId);
  const paid = await waitForDelivery("checkout.session.completed", sessionId);
  const context = { db, stripe, now: new Date(), log: () => {} };
  await handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, context);
  return registered;
}

/**
 * Runs the given requests against one order so that each reads the order, then queues on its row
 * lock in the order given: the first to get the lock wins, the others must see what it did.
 */
async function queuedOnOrder(orderId: string, requests: (() => Promise<{ ok: boolean }>)[]) {
  const gate = await holdRowLock(db, "Order", orderId);
  const running: Promise<{ ok: boolean }>[] = [];
  try {
    for (const [index, request] of requests.entries()) {
      running.push(request());
      await waitForLockWaiters(db, index + 1);
    }
  } finally {
    await gate.release();
  }
  return Promise.all(running);
}

const carol = { firstName: "Carol", lastName: "Shaw", email: `carol-${randomUUID()}@example.org` };
const dave = { firstName: "Dave", lastName: "Cutler", email: `dave-${randomUUID()}@example.org` };

describe("self-service against a concurrent transfer", () => {
  it("a refund queued behind a transfer is refused: the buyer keeps a valid ticket, the seller no refund", async () => {
    const { order } = await paidOrder();
    const [transfer, refund] = await queuedOnOrder(order.id, [
      () => transferTicket(db, order.accessToken, carol),
      () => cancelForRefund(db, stripe, order.accessToken),
    ]);
    expect(transfer.ok).toBe(true);
    expect(refund).toEqual({ ok: false, reason: "not_found" });
    const include = { tickets: true, refunds: true };
    const after = await db.order.findUniqueOrThrow({ where: { id: order.id }, include });
    expect(after).toMatchObject({ status: "CONFIRMED", refunds: [] });
    expect(after.tickets[0]).toMatchObject({ email: carol.email, status: "ACTIVE" });
  });

  it("an edit with the old link queued behind a transfer is refused, and the new holder's details stay", async () => {
    const { order } = await paidOrder();
    const [transfer, edit] = await queuedOnOrder(order.id, [
      () => transferTicket(db, order.accessToken, carol),
      () => {
        const attendee = { firstName: "OldHolderWasHere", lastName: "X", company: "Hijack" };
        return editAttendeeDetails(db, order.accessToken, { attendee, answers: { diet: "x" } });
      },
    ]);
    expect(transfer.ok).toBe(true);
    expect(edit).toEqual({ ok: false, reason: "not_found" });
    // The answers the organisers require stay with the ticket, for the new holder to review.
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(ticket).toMatchObject({ firstName: "Carol", company: null, answers: { diet: "none" } });
  });

  it("two transfers from one link at once: exactly one wins", async () => {
    const { order } = await paidOrder();
    const results = await queuedOnOrder(order.id, [
      () => transferTicket(db, order.accessToken, carol),
      () => transferTicket(db, order.accessToken, dave),
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false]);
    expect(await db.ticket.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ email: carol.email });
    expect(await db.emailOutbox.count({ where: { orderId: order.id, toAddress: dave.email } })).toBe(0);
  });
});

describe("cancelForRefund", () => {
  it("lets the attendee retry a refund Stripe did not accept", async () => {
    const registered = await paidOrder();
    faults.failRefunds = true;
    try {
      expect(await cancelForRefund(db, stripe, registered.order.accessToken)).toEqual({ ok: true });
      const retried = await retryOwnRefund(db, stripe, registered.order.accessToken);
      expect(retried).toEqual({ ok: false, reason: "refund_failed" });
    } finally {
      faults.failRefunds = false;
    }
    expect((await db.refund.findFirstOrThrow({ where: { orderId: registered.order.id } })).status).toBe("PENDING");
    expect(await retryOwnRefund(db, stripe, registered.order.accessToken)).toEqual({ ok: true });
    expect((await db.refund.findFirstOrThrow({ where: { orderId: registered.order.id } })).status).toBe("SUCCEEDED");
    const nothingLeft = await retryOwnRefund(db, stripe, registered.order.accessToken);
    expect(nothingLeft).toEqual({ ok: false, reason: "not_allowed" });
  });

  it("refunds a paid ticket in full before the refund deadline, and refuses after it", async () => {
    const registered = await paidOrder();

    expect(
      await cancelForRefund(db, stripe, registered.order.accessToken, new Date(Date.now() + 2 * 86_400_000)),
    ).toEqual({ ok: false, reason: "not_allowed" });
    expect(await cancelForRefund(db, stripe, registered.order.accessToken)).toEqual({ ok: true });
    const order = await db.order.findUniqueOrThrow({ where: { id: registered.order.id }, include: { refunds: true } });
    expect(order).toMatchObject({ status: "REFUNDED", statusReason: "attendee_cancelled" });
    expect(order.refunds[0]).toMatchObject({ status: "SUCCEEDED", amountCents: 4900 });
  });
});
