import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/lib/testing/fixtures";
import { useTestDatabase } from "@/lib/testing/test-database";
import { startCheckout } from "@/lib/payments/checkout";
import { handleStripeWebhook } from "@/lib/payments/webhook";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/lib/testing/local-stripe";
import { cancelForRefund, cancelFreeRegistration, editAttendeeDetails, selfServiceRights, transferTicket } from "./self-service";

const { db } = await useTestDatabase();
const { stripe, payWithCard, waitForDelivery } = await useLocalStripe();

async function freeOrder(options: { editDeadline?: Date } = {}) {
  const edition = await createEdition(db, { capacity: 5, questions: [{ key: "diet", type: "TEXT" }] });
  if (options.editDeadline) await db.edition.update({ where: { id: edition.id }, data: { editDeadline: options.editDeadline } });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return { edition, order: result.order };
}

const edition = { startsAt: new Date("2027-05-20T07:00:00Z"), editDeadline: null, refundDeadline: new Date("2027-05-01T00:00:00Z") };

describe("selfServiceRights", () => {
  it("follows the edition's deadlines and the order's kind", () => {
    const now = new Date("2027-04-01T00:00:00Z");
    expect(selfServiceRights({ status: "CONFIRMED", amountCents: 0, paymentIntentId: null, edition }, now)).toEqual({
      canEdit: true, canTransfer: true, canCancelFree: true, canCancelForRefund: false,
    });
    expect(selfServiceRights({ status: "CONFIRMED", amountCents: 4900, paymentIntentId: "pi_1", edition }, now).canCancelForRefund).toBe(true);
    expect(selfServiceRights({ status: "CONFIRMED", amountCents: 4900, paymentIntentId: "pi_1", edition }, new Date("2027-05-02T00:00:00Z")).canCancelForRefund).toBe(false);
    expect(selfServiceRights({ status: "CONFIRMED", amountCents: 0, paymentIntentId: null, edition: { ...edition, editDeadline: now } }, now).canEdit).toBe(false);
    expect(selfServiceRights({ status: "CANCELLED", amountCents: 0, paymentIntentId: null, edition }, now)).toEqual({
      canEdit: false, canTransfer: false, canCancelFree: false, canCancelForRefund: false,
    });
  });
});

describe("self-service", () => {
  it("edits details and answers, refusing bad input and anything after the deadline", async () => {
    const { order } = await freeOrder();
    expect(await editAttendeeDetails(db, order.accessToken, { attendee: { firstName: "Augusta", lastName: "King", company: "" }, answers: { diet: "vegan" } })).toEqual({ ok: true });
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(ticket).toMatchObject({ firstName: "Augusta", lastName: "King", company: null, answers: { diet: "vegan" } });
    const bad = await editAttendeeDetails(db, order.accessToken, { attendee: { firstName: "", lastName: "King" }, answers: {} });
    expect(bad).toEqual({ ok: false, reason: "invalid", fieldErrors: { "attendee.firstName": ["required"] } });
    expect(await editAttendeeDetails(db, "x".repeat(32), { attendee: {}, answers: {} })).toEqual({ ok: false, reason: "not_found" });

    const late = await freeOrder({ editDeadline: new Date(Date.now() - 1000) });
    expect(await editAttendeeDetails(db, late.order.accessToken, { attendee: { firstName: "A", lastName: "B" }, answers: {} })).toEqual({ ok: false, reason: "not_allowed" });
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
    const result = await transferTicket(db, order.accessToken, { firstName: "Grace", lastName: "Hopper", email: "Grace@Example.org" });
    expect(result).toEqual({ ok: true, transferredTo: "grace@example.org" });
    const after = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(after).toMatchObject({ firstName: "Grace", email: "grace@example.org", codeVersion: before.codeVersion + 1 });
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).accessToken).not.toBe(order.accessToken);
    const emails = await db.emailOutbox.findMany({ where: { orderId: order.id }, orderBy: { kind: "asc" } });
    expect(emails.map((e) => [e.kind, e.toAddress])).toEqual([
      ["order_confirmation", before.email],
      ["ticket_transfer_received", "grace@example.org"],
      ["ticket_transfer_sent", before.email],
    ]);
    // The old link no longer works.
    expect(await transferTicket(db, order.accessToken, { firstName: "X", lastName: "Y", email: "x@example.org" })).toEqual({ ok: false, reason: "not_found" });

    // Nobody can be given a second seat in the same edition.
    const other = await registerAttendee(db, edition.slug, attendeeRequest("free", "other"), { holdMinutes: 35 });
    if (!other.ok) throw new Error(other.reason);
    expect(await transferTicket(db, other.order.accessToken, { firstName: "Grace", lastName: "Hopper", email: "grace@example.org" })).toEqual({
      ok: false,
      reason: "already_registered",
    });
    expect((await transferTicket(db, other.order.accessToken, { firstName: "", lastName: "", email: "nope" })).ok).toBe(false);
  });
});

describe("cancelForRefund", () => {
  it("refunds a paid ticket in full before the refund deadline, and refuses after it", async () => {
    const edition = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    await db.edition.update({ where: { id: edition.id }, data: { refundDeadline: new Date(Date.now() + 86_400_000) } });
    const registered = await registerAttendee(db, edition.slug, attendeeRequest("paid", randomUUID()), { holdMinutes: 35 });
    if (!registered.ok) throw new Error(registered.reason);
    const checkout = await startCheckout(db, stripe, registered.order.id, { appUrl: "http://app.test" });
    if (!checkout.ok) throw new Error(checkout.reason);
    const sessionId = checkout.url.split("/").pop()!;
    await payWithCard(sessionId);
    const paid = await waitForDelivery("checkout.session.completed", sessionId);
    await handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, { db, stripe, now: new Date(), log: () => {} });

    expect(await cancelForRefund(db, stripe, registered.order.accessToken, new Date(Date.now() + 2 * 86_400_000))).toEqual({ ok: false, reason: "not_allowed" });
    expect(await cancelForRefund(db, stripe, registered.order.accessToken)).toEqual({ ok: true });
    const order = await db.order.findUniqueOrThrow({ where: { id: registered.order.id }, include: { refund: true } });
    expect(order).toMatchObject({ status: "REFUNDED", statusReason: "attendee_cancelled" });
    expect(order.refund).toMatchObject({ status: "SUCCEEDED", amountCents: 4900 });
  });
});
