import { beforeAll, describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { registerAttendee } from "@/lib/orders/register";
import { extendDeadlineTo, markTransferReceived } from "./transfer-desk";
import { companyBilling, createEdition, createOrganiser, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";

const { db } = await useTestDatabase();

const now = new Date("2027-03-01T10:00:00Z");

async function transferOrder() {
  const created = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  const edition = await db.edition.update({ where: { id: created.id }, data: { transferDays: 14 } });
  const person = (n: number) => ({ firstName: "Ada", lastName: `Office ${n}`, email: `ada${n}@acme.example` });
  const body = {
    buyer: person(0),
    tickets: [1, 2].map((n) => ({ ticketType: "paid", attendee: person(n) })),
    locale: "fr",
    billing: companyBilling,
    paymentMethod: "transfer",
  };
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35, now });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return { edition, order: placed.order };
}

beforeAll(async () => {
  const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
});

describe("marking a transfer order paid from its page", () => {
  it("refuses the wrong amount with what is due, then confirms the right one, audited, once", async () => {
    const actor = await createOrganiser(db);
    const { edition, order } = await transferOrder();
    const form = { orderId: order.id, receivedOn: "2027-03-04" };
    const later = new Date("2027-03-05T09:00:00Z");

    expect(await markTransferReceived(db, actor, edition, { ...form, amount: "90" }, later)).toEqual({
      ok: false,
      reason: "amount_mismatch",
      dueCents: 9800,
    });
    expect(await markTransferReceived(db, actor, edition, { ...form, amount: "abc" }, later)).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { amount: ["invalid_amount"] },
    });
    expect(
      await markTransferReceived(db, actor, edition, { ...form, amount: "98", receivedOn: "2027-03-06" }, later),
    ).toMatchObject({ ok: false, reason: "invalid", fieldErrors: { receivedOn: ["day_in_future"] } });
    // A typo dating the payment before the order would be printed on an invoice that is never changed.
    expect(
      await markTransferReceived(db, actor, edition, { ...form, amount: "98", receivedOn: "2020-01-01" }, later),
    ).toMatchObject({ ok: false, reason: "invalid", fieldErrors: { receivedOn: ["day_before_order"] } });
    expect(await db.auditEntry.count({ where: { subjectId: order.id } })).toBe(0);

    expect(await markTransferReceived(db, actor, edition, { ...form, amount: "98,00" }, later)).toEqual({
      ok: true,
      outcome: "confirmed",
    });
    const row = await db.order.findUniqueOrThrow({
      where: { id: order.id },
      include: { transferPayment: true, invoices: true },
    });
    expect(row).toMatchObject({ status: "CONFIRMED", invoices: [{ kind: "invoice" }] });
    expect(row.transferPayment).toMatchObject({
      amountCents: 9800,
      receivedOn: new Date("2027-03-04"),
      recordedBy: actor.email,
      statementLineId: null,
    });
    const audit = await db.auditEntry.findMany({ where: { subjectId: order.id } });
    expect(audit).toMatchObject([
      { action: "transfer.received", actorEmail: actor.email, after: { amountCents: 9800, receivedOn: "2027-03-04" } },
    ]);
    expect(await markTransferReceived(db, actor, edition, { ...form, amount: "98" }, later)).toEqual({
      ok: false,
      reason: "already_paid",
    });
  });

  it("finds no order of another edition", async () => {
    const actor = await createOrganiser(db);
    const { order } = await transferOrder();
    const { edition: other } = await transferOrder();
    const form = { orderId: order.id, amount: "98", receivedOn: "2027-03-01" };
    expect(await markTransferReceived(db, actor, other, form, now)).toEqual({ ok: false, reason: "unknown_order" });
    expect(await extendDeadlineTo(db, actor, other, { orderId: order.id, deadline: "2027-03-20" })).toEqual({
      ok: false,
      reason: "unknown_order",
    });
  });
});

describe("extending a transfer order's deadline", () => {
  it("moves it to the end of the day typed in the edition's zone, audited; never to a day gone", async () => {
    const actor = await createOrganiser(db);
    const { edition, order } = await transferOrder();
    const move = (deadline: string) => extendDeadlineTo(db, actor, edition, { orderId: order.id, deadline }, now);
    expect(await move("2027-02-28")).toEqual({ ok: false, reason: "in_past" });
    expect(await move("2027-02-30")).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { deadline: ["invalid_day"] },
    });
    const extended = await move("2027-03-29");
    // 29 March 2027 is summer time in Paris (UTC+2).
    expect(extended).toMatchObject({ ok: true, after: new Date("2027-03-29T21:59:59.999Z") });
    const row = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row.holdExpiresAt).toEqual(new Date("2027-03-29T21:59:59.999Z"));
    const audit = await db.auditEntry.findFirstOrThrow({ where: { subjectId: order.id } });
    expect(audit).toMatchObject({
      action: "transfer.deadline_extended",
      before: { deadline: "2027-03-15T22:59:59.999Z" },
      after: { reference: order.reference, deadline: "2027-03-29T21:59:59.999Z" },
    });
  });
});
