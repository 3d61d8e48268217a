import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  companyBilling,
  createEdition,
  createOrganiser,
  organiserProfileForm,
  registerTicket,
} from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { composeEmail } from "@/lib/notifications/renderers";
import { registerAttendee } from "@/lib/orders/register";
import { confirmTransfer } from "@/lib/payments/transfer";
import { bulkSelectionSchema, cancelAttendees, MAX_BULK_TICKETS, resendConfirmations } from "./bulk";
import { cancelAttendee } from "./manage";

const { db } = await useTestDatabase();
const { stripe, payOrder, amountRefunded } = await useLocalStripe();
const signingKey = () => generateKeyPairSync("ed25519").privateKey;

describe("bulk actions on a selection of attendees", () => {
  it("takes between one and the maximum number of ticket ids", () => {
    const editionId = crypto.randomUUID();
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: [] }).success).toBe(false);
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: ["not-a-uuid"] }).success).toBe(false);
    const tooMany = Array.from({ length: MAX_BULK_TICKETS + 1 }, () => crypto.randomUUID());
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: tooMany }).success).toBe(false);
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: tooMany.slice(1) }).success).toBe(true);
  });

  it("resends confirmations to confirmed attendees and says why the others were skipped", async () => {
    const actor = await createOrganiser(db);
    const edition = await createEdition(db, {
      capacity: 5,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    });
    const confirmed = [
      await registerTicket(db, edition.slug, "free", "a"),
      await registerTicket(db, edition.slug, "free", "b"),
    ];
    const held = await registerTicket(db, edition.slug, "paid", "held");
    const elsewhere = await registerTicket(db, (await createEdition(db, { capacity: 5 })).slug, "free", "other");
    const summary = await resendConfirmations(db, actor, {
      editionId: edition.id,
      ticketIds: [...confirmed.map((t) => t.id), held.id, elsewhere.id],
    });
    expect(summary).toEqual({ done: 2, skipped: { not_confirmed: 1, not_found: 1 } });
    expect(
      await db.auditEntry.count({ where: { editionId: edition.id, action: "attendee.confirmation_resent" } }),
    ).toBe(2);
  });

  it("cancels with or without refund through the organiser's own action", async () => {
    const actor = await createOrganiser(db);
    const edition = await createEdition(db, {
      capacity: 5,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    });
    const paid = await registerTicket(db, edition.slug, "paid", "paid");
    await payOrder(db, paid.orderId);
    const free = await registerTicket(db, edition.slug, "free", "free");
    expect(
      await cancelAttendees(
        db,
        stripe,
        actor,
        { editionId: edition.id, ticketIds: [paid.id, free.id] },
        { refund: true },
      ),
    ).toEqual({ done: 1, skipped: { not_refundable: 1 } });
    expect(await db.order.findUniqueOrThrow({ where: { id: paid.orderId } })).toMatchObject({ status: "REFUNDED" });
    expect(
      await cancelAttendees(
        db,
        stripe,
        actor,
        { editionId: edition.id, ticketIds: [paid.id, free.id] },
        { refund: false },
      ),
    ).toEqual({ done: 1, skipped: { not_confirmed: 1 } });
    expect(await db.order.findUniqueOrThrow({ where: { id: free.orderId } })).toMatchObject({
      status: "CANCELLED",
      statusReason: "organiser_cancelled",
    });
  });
});

describe("cancelling every live ticket of a group from the back office", () => {
  const buyer = () => ({ firstName: "Grace", lastName: "Buyer", email: `${randomUUID()}@example.org` });
  const member = (i: number) => ({
    ticketType: "paid",
    attendee: { firstName: "Ada", lastName: `Member ${i}`, email: `${randomUUID()}@example.org` },
  });

  async function groupEdition() {
    const edition = await createEdition(db, { capacity: 20, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    return db.edition.update({ where: { id: edition.id }, data: { transferDays: 14, transferClosesDaysBefore: 7 } });
  }

  /** A confirmed group of `size` 49 € tickets, paid by card through the local Stripe or by a bank transfer. */
  async function paidGroup(edition: { slug: string }, size: number, by: "card" | "transfer") {
    const body = { buyer: buyer(), tickets: Array.from({ length: size }, (_, i) => member(i + 1)), locale: "fr" };
    const request = by === "card" ? body : { ...body, paymentMethod: "transfer", billing: companyBilling };
    const placed = await registerAttendee(db, edition.slug, request, { holdMinutes: 35 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const order = placed.order;
    if (by === "card") await payOrder(db, order.id);
    else {
      const transfer = {
        orderId: order.id,
        amountCents: order.amountCents,
        currency: "EUR",
        recordedBy: "t@example.org",
      };
      expect(await confirmTransfer(db, { ...transfer, receivedOn: new Date() }, new Date())).toMatchObject({
        ok: true,
      });
    }
    return db.order.findUniqueOrThrow({
      where: { id: order.id },
      include: { tickets: { orderBy: { position: "asc" } } },
    });
  }

  const after = (orderId: string) =>
    db.order.findUniqueOrThrow({
      where: { id: orderId },
      include: { tickets: true, refunds: true, emails: true, invoices: { orderBy: { sequence: "asc" } } },
    });

  it("refunds a card group as a whole: one refund of what is left, one email to the buyer", async () => {
    const actor = await createOrganiser(db);
    const edition = await groupEdition();
    const order = await paidGroup(edition, 3, "card");
    const ticketIds = order.tickets.map((ticket) => ticket.id);
    const summary = await cancelAttendees(db, stripe, actor, { editionId: edition.id, ticketIds }, { refund: true });
    expect(summary).toEqual({ done: 3, skipped: {} });

    const done = await after(order.id);
    expect(done.status).toBe("REFUNDED");
    expect(done.tickets.map((ticket) => ticket.status)).toEqual(["CANCELLED", "CANCELLED", "CANCELLED"]);
    expect(done.refunds).toEqual([
      expect.objectContaining({ ticketId: null, amountCents: 14700, method: "CARD", status: "SUCCEEDED" }),
    ]);
    expect(await amountRefunded(order.paymentIntentId!)).toBe(14700);
    const notices = done.emails.filter((email) => email.kind === "order_refunded" || email.kind === "order_cancelled");
    expect(notices.map((email) => [email.kind, email.toAddress])).toEqual([["order_refunded", order.buyerEmail]]);
    expect(notices[0].payload).toMatchObject({ amountCents: 14700 });
    // Written to the buyer, not to the first ticket's attendee.
    const notice = await db.emailOutbox.findUniqueOrThrow({
      where: { id: notices[0].id },
      include: { order: { include: { edition: true, tickets: { include: { ticketType: true } }, invoices: true } } },
    });
    const composed = await composeEmail({ db, appUrl: "http://app.test", signingKey: signingKey() }, notice);
    if (composed === "missing" || !("send" in composed)) throw new Error("the refund email should leave");
    expect(composed.send.text).toContain("Bonjour Grace,");
    const audits = await db.auditEntry.findMany({ where: { subjectId: { in: ticketIds } } });
    expect(audits.map((entry) => entry.action)).toEqual(Array(3).fill("attendee.cancelled_refunded"));
  });

  it("refunds the rest as a whole when the last live ticket is cancelled after one refunded alone", async () => {
    const actor = await createOrganiser(db);
    const edition = await groupEdition();
    const order = await paidGroup(edition, 2, "card");
    const [first, second] = order.tickets;
    const cancel = (ticketId: string) =>
      cancelAttendee(db, stripe, actor, edition.id, ticketId, { refund: true, now: new Date() });
    expect(await cancel(first.id)).toMatchObject({ ok: true });
    expect(await cancel(second.id)).toMatchObject({ ok: true });
    const done = await after(order.id);
    expect(done.status).toBe("REFUNDED");
    expect(done.refunds.map((refund) => [refund.ticketId, refund.amountCents]).sort()).toEqual(
      [
        [first.id, 4900],
        [null, 4900],
      ].sort(),
    );
    // The first ticket's notice says the other stays valid; the rest is one order-level refund email.
    const ticketNotice = done.emails.find(
      (email) => email.kind === "order_refunded" && email.dedupeKey.endsWith(first.id),
    );
    expect(ticketNotice?.payload).not.toHaveProperty("lastTicket");
    expect(done.emails.filter((email) => email.kind === "order_refunded")).toHaveLength(2);
  });

  it("refunds a transfer group as a whole: one refund to send by transfer, one credit note", async () => {
    const actor = await upsertUser(db, { email: "treasurer@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, actor, organiserProfileForm())).toMatchObject({ ok: true });
    const edition = await groupEdition();
    const order = await paidGroup(edition, 3, "transfer");
    const ticketIds = order.tickets.map((ticket) => ticket.id);
    const summary = await cancelAttendees(db, stripe, actor, { editionId: edition.id, ticketIds }, { refund: true });
    expect(summary).toEqual({ done: 3, skipped: {} });

    const done = await after(order.id);
    expect(done.status).toBe("REFUNDED");
    expect(done.refunds).toEqual([
      expect.objectContaining({ ticketId: null, amountCents: 14700, method: "TRANSFER", status: "PENDING" }),
    ]);
    expect(done.invoices.map((document) => [document.kind, document.includingVatCents])).toEqual([
      ["invoice", 14700],
      ["credit_note", 14700],
    ]);
    const refunded = done.emails.filter((email) => email.kind === "order_refunded");
    expect(refunded.map((email) => [email.toAddress, email.payload])).toEqual([
      [order.buyerEmail, expect.objectContaining({ amountCents: 14700, byTransfer: true })],
    ]);
  });

  it("goes ticket by ticket when money of a cancelled ticket was kept, the last notice saying so", async () => {
    const actor = await createOrganiser(db);
    const edition = await groupEdition();
    const order = await paidGroup(edition, 3, "card");
    const [kept, ...rest] = order.tickets;
    const noRefund = await cancelAttendees(
      db,
      stripe,
      actor,
      { editionId: edition.id, ticketIds: [kept.id] },
      { refund: false },
    );
    expect(noRefund).toEqual({ done: 1, skipped: {} });
    const ticketIds = rest.map((ticket) => ticket.id);
    expect(await cancelAttendees(db, stripe, actor, { editionId: edition.id, ticketIds }, { refund: true })).toEqual({
      done: 2,
      skipped: {},
    });
    const done = await after(order.id);
    expect(done.status).toBe("REFUNDED");
    // The kept ticket's 49 € stays with the organisers.
    expect(done.refunds.map((refund) => refund.amountCents)).toEqual([4900, 4900]);
    expect(await amountRefunded(order.paymentIntentId!)).toBe(9800);
    const notices = done.emails.filter((email) => email.kind === "order_refunded");
    const last = notices.find((email) => email.dedupeKey.endsWith(rest[1].id));
    const before = notices.find((email) => email.dedupeKey.endsWith(rest[0].id));
    expect(last?.payload).toMatchObject({ lastTicket: true });
    expect(before?.payload).not.toHaveProperty("lastTicket");
  });

  it("cancels a group without refund as a whole: one cancellation email", async () => {
    const actor = await createOrganiser(db);
    const edition = await groupEdition();
    const order = await paidGroup(edition, 2, "card");
    const ticketIds = order.tickets.map((ticket) => ticket.id);
    expect(await cancelAttendees(db, stripe, actor, { editionId: edition.id, ticketIds }, { refund: false })).toEqual({
      done: 2,
      skipped: {},
    });
    const done = await after(order.id);
    expect(done.status).toBe("CANCELLED");
    expect(done.refunds).toEqual([]);
    const notices = done.emails.filter((email) => email.kind === "order_refunded" || email.kind === "order_cancelled");
    expect(notices.map((email) => [email.kind, email.toAddress])).toEqual([["order_cancelled", order.buyerEmail]]);
  });
});
