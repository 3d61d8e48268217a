import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";
import { registerAttendee } from "@/lib/orders/register";
import { expireLapsedHolds } from "./expire-holds";
import { transferDeadline } from "@/lib/editions/transfer-deadline";
import { confirmTransfer, moveTransferDeadline } from "./transfer";
import { sendTransferExpiryNotices, sendTransferReminders } from "./transfer-reminders";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useLocalStripe, TEST_WEBHOOK_SECRET } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { startCheckout } from "./checkout";
import { handleStripeWebhook } from "./webhook";
import { cancelOneTicket, refundOrder, settleDueRefunds } from "./refunds";
import { markTransferRefundSent } from "./refund-retry";
import { composeEmail } from "@/lib/notifications/renderers";

const { db } = await useTestDatabase();
const { stripe, waitForDelivery, payWithCard } = await useLocalStripe();

const DAY = 86_400_000;
const now = new Date("2027-03-01T10:00:00Z");
const billing = { ...companyBilling, accountsEmail: "compta@acme.example" };
let serial = 0;
const buyer = () => {
  serial += 1;
  return { firstName: "Ada", lastName: "Office", email: `ada${serial}@acme.example`, company: "Acme" };
};
const member = () => ({ ticketType: "paid", attendee: { ...buyer(), firstName: "Team" } });

async function transferEdition(capacity = 10) {
  const edition = await createEdition(db, { capacity, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  return db.edition.update({ where: { id: edition.id }, data: { transferDays: 14, transferClosesDaysBefore: 7 } });
}

async function orderByTransfer(edition: { slug: string }, tickets = 3, at = now) {
  const body = { buyer: buyer(), tickets: Array.from({ length: tickets }, member), locale: "fr", billing };
  const placed = await registerAttendee(
    db,
    edition.slug,
    { ...body, paymentMethod: "transfer" },
    {
      holdMinutes: 35,
      now: at,
    },
  );
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return placed.order;
}

const received = (order: { id: string; amountCents: number }, more: object = {}) => ({
  orderId: order.id,
  amountCents: order.amountCents,
  currency: "EUR",
  receivedOn: new Date("2027-03-05"),
  recordedBy: "treasurer@example.org",
  ...more,
});

describe("the transfer deadline", () => {
  const edition = {
    transferDays: 14,
    transferClosesDaysBefore: 7,
    startsAt: new Date("2027-05-20T07:00:00Z"),
    timeZone: "Europe/Paris",
  };

  it("falls at the end of a day in the edition's zone, the given days on", () => {
    // 14 days after 1 March 11:00 Paris: 15 March, 23:59:59.999 Paris (UTC+1).
    expect(transferDeadline(edition, now)?.toISOString()).toBe("2027-03-15T22:59:59.999Z");
  });

  it("never later than the days before the start, and not at all with under two days to pay", () => {
    // The start is 20 May 09:00 Paris: no later than 13 May 09:00, so the end of 12 May (summer time).
    expect(transferDeadline(edition, new Date("2027-05-05T10:00:00Z"))?.toISOString()).toBe("2027-05-12T21:59:59.999Z");
    expect(transferDeadline(edition, new Date("2027-05-11T10:00:00Z"))).toBeNull();
    expect(transferDeadline({ ...edition, transferDays: null }, now)).toBeNull();
  });
});

describe("an order paid by bank transfer", () => {
  // First: this file's database has no organiser settings, whose IBAN the quote prints.
  it("cannot be placed while the organiser's bank details are missing, nor where transfer is off", async () => {
    const edition = await transferEdition();
    const body = { buyer: buyer(), tickets: [member()], locale: "fr", billing, paymentMethod: "transfer" };
    const refused = await registerAttendee(db, edition.slug, body, { holdMinutes: 35, now });
    expect(refused).toEqual({ ok: false, reason: "invalid", fieldErrors: { paymentMethod: ["transfer_unavailable"] } });

    const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
    const cardOnly = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const off = await registerAttendee(db, cardOnly.slug, body, { holdMinutes: 35, now });
    expect(off).toMatchObject({ ok: false, fieldErrors: { paymentMethod: ["transfer_unavailable"] } });
    expect(await db.order.count({ where: { editionId: { in: [edition.id, cardOnly.id] } } })).toBe(0);
  });

  it("holds its seats until the deadline and emails the quote to the buyer and the accounts email", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition);
    const row = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { emails: true } });
    expect(row).toMatchObject({ status: "PENDING", paymentMethod: "TRANSFER", amountCents: 14700 });
    expect(row.holdExpiresAt?.toISOString()).toBe("2027-03-15T22:59:59.999Z");
    expect(row.payToken).toMatch(/^[\w-]{20,}$/);
    expect(row.emails.map((email) => [email.kind, email.toAddress, email.payload]).sort()).toEqual(
      [
        ["transfer_quote", row.buyerEmail, { audience: "buyer" }],
        ["transfer_quote", "compta@acme.example", { audience: "accounts" }],
      ].sort(),
    );
    // A week later the seats are still held: nobody else may take them.
    await expireLapsedHolds(db, null, new Date(now.getTime() + 7 * DAY));
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING");
  });

  it("is confirmed once by the transfer: tickets, an invoice paid by transfer, the payment recorded", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition);
    const line = { statementLineId: `line-${order.id}` };
    const first = await confirmTransfer(db, received(order, line), new Date(now.getTime() + 4 * DAY));
    expect(first).toEqual({ ok: true, outcome: "confirmed" });
    expect(await confirmTransfer(db, received(order, line), now)).toEqual({ ok: false, reason: "line_recorded" });
    expect(await confirmTransfer(db, received(order), now)).toEqual({ ok: false, reason: "already_paid" });

    const row = await db.order.findUniqueOrThrow({
      where: { id: order.id },
      include: { invoices: true, emails: true, transferPayment: true },
    });
    expect(row).toMatchObject({ status: "CONFIRMED", holdExpiresAt: null });
    expect(row.transferPayment).toMatchObject({ amountCents: 14700, statementLineId: line.statementLineId });
    expect(row.invoices).toHaveLength(1);
    const document = storedInvoiceDocument(row.invoices[0].document);
    expect(document.payment).toMatchObject({ means: "transfer", paidAt: new Date("2027-03-05") });
    expect(document.payment.transferReference).toMatch(/^RF\d\d/);
    const kinds = row.emails.map((email) => email.kind);
    expect(kinds.filter((kind) => kind === "order_confirmation")).toHaveLength(1);
    expect(kinds.filter((kind) => kind === "invoice")).toHaveLength(2);
  });

  it("refuses an amount that is not what is due, unless more is accepted on purpose", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition, 2);
    const short = await confirmTransfer(db, received(order, { amountCents: 9000 }), now);
    expect(short).toEqual({ ok: false, reason: "amount_mismatch", dueCents: 9800 });
    const over = received(order, { amountCents: 10_000 });
    expect(await confirmTransfer(db, over, now)).toMatchObject({ ok: false, reason: "amount_mismatch" });
    expect(await confirmTransfer(db, received(order, { currency: "USD" }), now)).toMatchObject({
      ok: false,
      reason: "amount_mismatch",
    });
    expect(await confirmTransfer(db, { ...over, acceptOverpayment: true }, now)).toEqual({
      ok: true,
      outcome: "confirmed",
    });
  });

  it("arriving after the deadline gets the seats back if free, and confirms nothing if they are gone", async () => {
    const edition = await transferEdition(3);
    const late = await orderByTransfer(edition, 1);
    const gone = await orderByTransfer(edition, 2);
    const afterDeadline = new Date(now.getTime() + 16 * DAY);
    await expireLapsedHolds(db, null, afterDeadline);
    // Others take two of the three seats meanwhile.
    await registerAttendee(
      db,
      edition.slug,
      { buyer: buyer(), tickets: [member(), member()], locale: "fr" },
      {
        holdMinutes: 35,
        now: afterDeadline,
      },
    );

    expect(await confirmTransfer(db, received(late), afterDeadline)).toEqual({ ok: true, outcome: "confirmed_late" });
    expect(await confirmTransfer(db, received(gone), afterDeadline)).toEqual({ ok: false, reason: "no_seat" });
    const rows = await db.order.findMany({
      where: { id: { in: [late.id, gone.id] } },
      include: { transferPayment: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(late.id)).toMatchObject({ status: "CONFIRMED", statusReason: "late_payment" });
    expect(byId.get(gone.id)).toMatchObject({ status: "EXPIRED", transferPayment: null });
  });

  it("gets another deadline from the organiser, ahead and before the start, earlier to correct a mistake", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition);
    const later = new Date("2027-03-25T22:59:59.999Z");
    const move = (deadline: Date, at = now) => moveTransferDeadline(db, { orderId: order.id, deadline }, undefined, at);
    expect(await move(new Date("2027-03-01T09:00:00Z"))).toEqual({ ok: false, reason: "in_past" });
    expect(await move(new Date("2027-04-30T21:59:59.999Z"))).toMatchObject({ ok: true });
    expect(await move(new Date("2027-06-01"))).toEqual({ ok: false, reason: "after_start" });
    const extended = await move(later);
    expect(extended).toMatchObject({ ok: true, after: later });
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).holdExpiresAt).toEqual(later);
  });
});

describe("a transfer order paid by card instead, from its payment link", () => {
  const deliver = async (type: string, sessionId: string) => {
    const event = await waitForDelivery(type, sessionId);
    return handleStripeWebhook(event.payload, event.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: new Date(),
      log: () => {},
    });
  };

  it("comes back to the payment page, still awaits the transfer if given up, and is confirmed once paid", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition, 2, new Date());
    const { payToken } = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    const first = await startCheckout(db, stripe, order.id, { appUrl: "http://app.test" });
    if (!first.ok) throw new Error(first.reason);
    const { paymentReference: abandoned } = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    const session = await stripe.checkout.sessions.retrieve(abandoned!);
    // Never the order's own link: whoever pays from the payment page goes back there, and "back" cancels nothing.
    expect(session.success_url).toBe(`http://app.test/fr/pay/${payToken}?checkout=success`);
    expect(session.cancel_url).toBe(`http://app.test/fr/pay/${payToken}?checkout=back`);

    await stripe.checkout.sessions.expire(abandoned!);
    await deliver("checkout.session.expired", abandoned!);
    const waiting = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(waiting).toMatchObject({ status: "PENDING", paymentReference: null, paymentMethod: "TRANSFER" });

    const second = await startCheckout(db, stripe, order.id, { appUrl: "http://app.test" });
    expect(second.ok).toBe(true);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(paymentReference).not.toBe(abandoned);
    await payWithCard(paymentReference!);
    await deliver("checkout.session.completed", paymentReference!);
    const paid = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { invoices: true } });
    expect(paid.status).toBe("CONFIRMED");
    expect(storedInvoiceDocument(paid.invoices[0].document).payment.means).toBe("card");
    // The transfer that arrives as well is money to send back, never a second confirmation.
    expect(await confirmTransfer(db, received(order), new Date())).toEqual({ ok: false, reason: "already_paid" });
  });
});

describe("money going back on an order paid by transfer", () => {
  it("is the organiser's transfer to send, with a credit note, never Stripe's, and marked sent once", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition, 2, new Date());
    expect(await confirmTransfer(db, received(order), new Date())).toMatchObject({ ok: true });
    const tickets = await db.ticket.findMany({ where: { orderId: order.id }, orderBy: { position: "asc" } });

    const cancelled = await cancelOneTicket(
      db,
      stripe,
      { orderId: order.id, ticketId: tickets[1].id },
      {
        refund: true,
        reason: "organiser_cancelled",
      },
    );
    expect(cancelled).toBe("refunded");
    expect(await settleDueRefunds(db, stripe)).toBe(0);
    const [refund] = await db.refund.findMany({ where: { orderId: order.id } });
    expect(refund).toMatchObject({ method: "TRANSFER", status: "PENDING", amountCents: 4900, stripeRefundId: null });
    const documents = await db.invoice.findMany({ where: { orderId: order.id }, orderBy: { sequence: "asc" } });
    expect(documents.map((document) => [document.kind, document.includingVatCents])).toEqual([
      ["invoice", 9800],
      ["credit_note", 4900],
    ]);
    const notice = await db.emailOutbox.findFirstOrThrow({
      where: { orderId: order.id, kind: "order_refunded" },
      include: { order: { include: { edition: true, tickets: { include: { ticketType: true } }, invoices: true } } },
    });
    const deps = { db, appUrl: "http://app.test", signingKey: generateKeyPairSync("ed25519").privateKey };
    const composed = await composeEmail(deps, notice);
    if (composed === "missing" || !("send" in composed)) throw new Error("the refund email should leave");
    expect(composed.send.text).toContain("vous sera rendu par virement sur le compte d’où il venait");

    const admin = await upsertUser(db, { email: "treasurer@example.org", role: "ADMIN" });
    const sent = { refundId: refund.id, sentOn: "2026-01-15" };
    const mark = () => markTransferRefundSent(db, admin, edition, sent);
    const elsewhere = { id: randomUUID(), timeZone: edition.timeZone };
    expect(await markTransferRefundSent(db, admin, elsewhere, sent)).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await mark()).toEqual({ ok: true });
    expect(await mark()).toEqual({ ok: false, reason: "not_found" });
    expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({
      status: "SUCCEEDED",
      sentBy: "treasurer@example.org",
    });
    expect(await db.auditEntry.count({ where: { subjectId: order.id, action: "refund.transfer_sent" } })).toBe(1);

    // The rest of the order, refunded as a whole, goes back the same way.
    expect(await refundOrder(db, stripe, order.id, { reason: "organiser_cancelled" })).toBe("refunded");
    const rest = await db.refund.findFirstOrThrow({ where: { orderId: order.id, ticketId: null } });
    expect(rest).toMatchObject({ method: "TRANSFER", status: "PENDING", amountCents: 4900 });
  });
});

describe("transfer reminders and notices", () => {
  it("remind each buyer once per reminder, however many instances sweep, and skip one already past", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition);
    // Placed 12 days before its deadline: day 11 (3 days before) brings the first reminder, day 14 the second.
    const sweep = (at: Date) => Promise.all([sendTransferReminders(db, at), sendTransferReminders(db, at)]);
    await sweep(new Date(now.getTime() + 5 * DAY));
    await sweep(new Date("2027-03-13T00:00:00Z"));
    await sweep(new Date("2027-03-13T12:00:00Z"));
    await sweep(new Date("2027-03-15T00:00:00Z"));
    await sweep(new Date("2027-03-15T12:00:00Z"));
    const reminders = await db.emailOutbox.findMany({
      where: { orderId: order.id, kind: "transfer_reminder" },
      orderBy: { createdAt: "asc" },
    });
    expect(reminders).toHaveLength(2);

    // Placed with two and a half days to pay: the 3-day reminder had passed already; only the 1-day one comes.
    const short = await orderByTransfer(edition, 1, new Date("2027-03-13T09:00:00Z"));
    const placed = await db.order.findUniqueOrThrow({ where: { id: short.id } });
    expect(placed.holdExpiresAt?.toISOString()).toBe("2027-03-27T22:59:59.999Z");
    await db.order.update({
      where: { id: short.id },
      data: { holdExpiresAt: new Date("2027-03-15T22:59:59.999Z"), createdAt: new Date("2027-03-13T09:00:00Z") },
    });
    await sweep(new Date("2027-03-13T12:00:00Z"));
    await sweep(new Date("2027-03-15T00:00:00Z"));
    expect(await db.emailOutbox.count({ where: { orderId: short.id, kind: "transfer_reminder" } })).toBe(1);
  });

  it("tell the buyer once that an unpaid order was cancelled at its deadline, however its hold lapsed", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition, 1);
    const after = new Date(now.getTime() + 15 * DAY);
    await sendTransferExpiryNotices(db, after);
    expect(await db.emailOutbox.count({ where: { orderId: order.id, kind: "transfer_expired" } })).toBe(0);
    await expireLapsedHolds(db, null, after);
    await Promise.all([sendTransferExpiryNotices(db, after), sendTransferExpiryNotices(db, after)]);
    await sendTransferExpiryNotices(db, after);
    const notices = await db.emailOutbox.findMany({ where: { orderId: order.id, kind: "transfer_expired" } });
    expect(notices).toHaveLength(1);
  });
});
