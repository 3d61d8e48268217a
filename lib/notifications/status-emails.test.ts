import { randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { cancelAttendee } from "@/lib/attendees/manage";
import { registerAttendee } from "@/lib/orders/register";
import { startCheckout } from "@/lib/payments/checkout";
import { handleStripeWebhook } from "@/lib/payments/webhook";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { cancelFreeRegistration } from "@/lib/tickets/self-service";

const { db, url } = await useTestDatabase();
const { stripe, payOrder, payWithCard, waitForDelivery } = await useLocalStripe();
const { smtp } = await useEmailWorker(db, url);
const actor = { id: "00000000-0000-4000-8000-000000000005", email: "organiser@example.org" };
const NBSP = "\u00a0";

async function register(type: "free" | "paid", locale: "fr" | "en", capacity = 5) {
  const edition = await createEdition(db, {
    capacity,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  const result = await registerAttendee(db, edition.slug, attendeeRequest(type, randomUUID(), { locale }), {
    holdMinutes: 35,
  });
  if (!result.ok) throw new Error(result.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
  return { edition, order: result.order, ticket };
}

async function emailTo(address: string, subject: string): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await expect
    .poll(
      () =>
        (found = smtp.messages.find(
          (mail) => mail.subject === subject && mail.to && !Array.isArray(mail.to) && mail.to.text === address,
        )),
      { timeout: 20_000 },
    )
    .toBeDefined();
  return found!;
}

describe("cancellation and refund emails reach the attendee, in their language", () => {
  it("a free ticket cancelled by its attendee (French)", async () => {
    const { edition, order, ticket } = await register("free", "fr");
    expect(await cancelFreeRegistration(db, order.accessToken)).toEqual({ ok: true });
    const mail = await emailTo(ticket.email!, `Votre inscription à ${edition.nameFr} est annulée`);
    expect(mail.text).toContain("Comme vous l’avez demandé");
    expect(mail.text).toContain(order.reference);
  });

  it("a ticket cancelled by the organisers without refund (English)", async () => {
    const { edition, ticket } = await register("free", "en");
    expect(await cancelAttendee(db, stripe, actor, edition.id, ticket.id, { refund: false })).toMatchObject({
      ok: true,
    });
    const mail = await emailTo(ticket.email!, `Your registration for ${edition.nameEn} is cancelled`);
    expect(mail.text).toContain(`The organisers of ${edition.nameEn} have cancelled your registration`);
  });

  it("a paid ticket cancelled and refunded by the organisers, with the amount (French)", async () => {
    const { edition, order, ticket } = await register("paid", "fr");
    await payOrder(db, order.id);
    expect(await cancelAttendee(db, stripe, actor, edition.id, ticket.id, { refund: true })).toMatchObject({
      ok: true,
    });
    const mail = await emailTo(ticket.email!, `Votre remboursement pour ${edition.nameFr}${NBSP}: 49,00${NBSP}€`);
    expect(mail.text).toContain(`49,00${NBSP}€ vous sont remboursés`);
    expect(await db.emailOutbox.count({ where: { orderId: order.id, kind: "order_cancelled" } })).toBe(0);
  });

  it("a late payment refunded for want of a seat, with the amount (English)", async () => {
    const { edition, order, ticket } = await register("paid", "en", 1);
    const checkout = await startCheckout(db, stripe, order.id, { appUrl: "http://app.test" });
    if (!checkout.ok) throw new Error(checkout.reason);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect((await payWithCard(paymentReference!)).status).toBe(303);
    const paid = await waitForDelivery("checkout.session.completed", paymentReference!);
    // The hold lapsed (on the database's clock) and the only seat went to the next person before the payment.
    await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${order.id}::uuid`;
    expect(
      (await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 })).ok,
    ).toBe(true);
    const answer = await handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: new Date(),
      log: () => {},
    });
    expect(answer).toMatchObject({ outcome: "refund_due" });
    const mail = await emailTo(ticket.email!, `Your payment for ${edition.nameEn} is refunded`);
    expect(mail.text).toContain("We have refunded €49.00 to the card you paid with");
  });
});
