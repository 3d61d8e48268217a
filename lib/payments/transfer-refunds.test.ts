import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { camt053Statement } from "@/devtools/testing/camt053";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { registerAttendee } from "@/lib/orders/register";
import { getEditionDashboard } from "@/lib/reports/dashboard";
import { retryOwnRefund } from "@/lib/tickets/self-service";
import { markTransferRefundSent, retryEditionRefund } from "./refund-retry";
import { cancelOneTicket, refundStateOf } from "./refunds";
import { confirmImport, importStatement } from "./statement-import";
import { confirmTransfer } from "./transfer";

const { db } = await useTestDatabase();
const { stripe } = await useLocalStripe();

// 23:30 UTC on 10 March is already 11 March in Paris, the editions' zone.
const now = new Date("2027-03-10T23:30:00Z");
const placedAt = new Date("2027-03-01T10:00:00Z");
let admin: Awaited<ReturnType<typeof upsertUser>>;

beforeAll(async () => {
  admin = await upsertUser(db, { email: "treasurer@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
});

const person = () => ({ firstName: "Ada", lastName: "Office", email: `${randomUUID()}@acme.example` });

async function transferEdition() {
  const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  return db.edition.update({
    where: { id: edition.id },
    data: { transferDays: 14, transferClosesDaysBefore: 7 },
    include: { ticketTypes: true },
  });
}

/** A group of two 49 € tickets ordered by transfer, not yet paid. */
async function orderByTransfer(edition: { slug: string }) {
  const tickets = [person(), person()].map((attendee) => ({ ticketType: "paid", attendee }));
  const body = { buyer: person(), tickets, locale: "fr", billing: companyBilling, paymentMethod: "transfer" };
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35, now: placedAt });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return db.order.findUniqueOrThrow({
    where: { id: placed.order.id },
    include: { tickets: { orderBy: { position: "asc" } } },
  });
}

/** That order paid by a hand-marked transfer, and its second ticket cancelled and refunded by the organisers. */
async function oneTicketToSendBack() {
  const edition = await transferEdition();
  const order = await orderByTransfer(edition);
  const received = { orderId: order.id, amountCents: 9800, currency: "EUR", recordedBy: admin.email };
  const confirmed = await confirmTransfer(db, { ...received, receivedOn: new Date("2027-03-05") }, placedAt);
  expect(confirmed).toMatchObject({ ok: true });
  const ticket = order.tickets[1];
  const cancel = { refund: true, reason: "organiser_cancelled", now: placedAt };
  expect(await cancelOneTicket(db, stripe, { orderId: order.id, ticketId: ticket.id }, cancel)).toBe("refunded");
  const refund = await db.refund.findFirstOrThrow({ where: { orderId: order.id } });
  return { edition, order, ticket, refund };
}

describe("how a refund reads", () => {
  it("by transfer: to send, then sent back, and never retried, whatever its status", () => {
    const transfer = { method: "TRANSFER", stripeRefundId: null };
    expect(refundStateOf({ ...transfer, status: "PENDING" })).toEqual({ state: "TO_SEND", retryable: false });
    expect(refundStateOf({ ...transfer, status: "SUCCEEDED" })).toEqual({
      state: "SENT_BY_TRANSFER",
      retryable: false,
    });
  });

  it("by card (and a payment we could not keep, which has no method): Stripe's word, retried unless accepted", () => {
    expect(refundStateOf({ method: "CARD", status: "PENDING", stripeRefundId: null })).toEqual({
      state: "UNSENT",
      retryable: true,
    });
    expect(refundStateOf({ method: "CARD", status: "PENDING", stripeRefundId: "re_1" })).toEqual({
      state: "PENDING",
      retryable: false,
    });
    expect(refundStateOf({ status: "FAILED", stripeRefundId: "re_1" })).toEqual({ state: "FAILED", retryable: true });
    expect(refundStateOf({ status: "SUCCEEDED", stripeRefundId: "re_1" })).toMatchObject({ retryable: false });
  });
});

describe("a refund to send back by transfer", () => {
  it("is never sent to Stripe by the buyer's retry or the organiser's", async () => {
    const { edition, order, ticket, refund } = await oneTicketToSendBack();
    expect(await retryOwnRefund(db, stripe, order.accessToken)).toEqual({ ok: false, reason: "not_allowed" });
    const retried = await retryEditionRefund(db, stripe, admin, edition.id, { ticketId: ticket.id });
    expect(retried).toEqual({ ok: false, reason: "not_found" });
    expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
      stripeRefundId: null,
      lastError: null,
    });
    expect(await db.auditEntry.count({ where: { subjectId: order.id, action: "refund.retried" } })).toBe(0);
  });

  it("is marked sent on the day the organiser gives, not after today in the edition's zone, audited", async () => {
    const { edition, order, refund } = await oneTicketToSendBack();
    const mark = (sentOn: string) => markTransferRefundSent(db, admin, edition, { refundId: refund.id, sentOn }, now);
    expect(await mark("2027-03-12")).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { sentOn: ["day_in_future"] },
    });
    expect(await mark("2027-02-30")).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { sentOn: ["invalid_day"] },
    });
    expect(await mark("")).toMatchObject({
      reason: "invalid",
      fieldErrors: { sentOn: expect.arrayContaining(["required"]) },
    });
    expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ status: "PENDING" });

    // Already 11 March in Paris, though not in UTC.
    expect(await mark("2027-03-11")).toEqual({ ok: true });
    const sent = await db.refund.findUniqueOrThrow({ where: { id: refund.id } });
    expect(sent).toMatchObject({ status: "SUCCEEDED", sentBy: admin.email });
    expect(sent.settledAt?.toISOString()).toBe("2027-03-11T00:00:00.000Z");
    expect(refundStateOf(sent).state).toBe("SENT_BY_TRANSFER");
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { subjectId: order.id, action: "refund.transfer_sent" },
    });
    expect(audit.after).toMatchObject({ refund: refund.id, amountCents: 4900, sentOn: "2027-03-11" });
    expect(await mark("2027-03-11")).toEqual({ ok: false, reason: "not_found" });
  });

  it("shows the organiser whom to send it to and the payment it returns, with the statement's payer", async () => {
    const edition = await transferEdition();
    const byStatement = await orderByTransfer(edition);
    const statement = camt053Statement([
      { reference: byStatement.reference, amountCents: 9800, bookedOn: "2027-03-04" },
    ]);
    const imported = await importStatement(
      db,
      admin,
      { fileName: "releve.xml", bytes: new TextEncoder().encode(statement) },
      placedAt,
    );
    if (!imported.ok) throw new Error(imported.reason);
    expect(await confirmImport(db, admin, imported.importId, placedAt)).toMatchObject({ ok: true });
    const cancel = { refund: true, reason: "organiser_cancelled", now: placedAt };
    const ticket = { orderId: byStatement.id, ticketId: byStatement.tickets[0].id };
    expect(await cancelOneTicket(db, stripe, ticket, cancel)).toBe("refunded");

    const dashboard = await getEditionDashboard(db, edition, now);
    expect(dashboard.refundsNeedingAttention).toEqual([
      expect.objectContaining({
        amountCents: 4900,
        method: "TRANSFER",
        order: expect.objectContaining({
          reference: byStatement.reference,
          buyerLastName: "Office",
          billing: { organisation: companyBilling.organisation },
          transferPayment: {
            amountCents: 9800,
            currency: "EUR",
            receivedOn: new Date("2027-03-04T00:00:00Z"),
            statementLineId: expect.any(String),
            payer: "Payer 1",
          },
        }),
      }),
    ]);
  });
});
