import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { pdfText } from "@/devtools/testing/pdf-text";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { renderInvoicePdf } from "@/lib/invoices/pdf";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";
import { composeEmail } from "@/lib/notifications/renderers";
import { registerAttendee } from "@/lib/orders/register";
import { startCheckout } from "./checkout";

const { db } = await useTestDatabase();
const { stripe, payOrder } = await useLocalStripe();
const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });

const edition = await createEdition(db, {
  capacity: 20,
  ticketTypes: [
    { code: "conference", priceCents: 25000 },
    { code: "sponsor", priceCents: 40000 },
  ],
});
const sponsor = edition.ticketTypes.find((type) => type.code === "sponsor")!;
await db.ticketType.update({ where: { id: sponsor.id }, data: { hidden: true } });
const voucherData = { editionId: edition.id, maxUses: 10 };
await db.voucher.create({
  data: { ...voucherData, code: "COMMUNITY-20", codeKey: "COMMUNITY20", effect: "PERCENT_OFF", percentOff: 20 },
});
await db.voucher.create({
  data: {
    ...voucherData,
    code: "ACME-K7QX-M3PA",
    codeKey: "ACMEK7QXM3PA",
    effect: "FREE",
    maxUsesPerOrder: 1,
    ticketTypes: { create: [{ ticketTypeId: sponsor.id }] },
  },
});

const person = (n: number) => ({ firstName: "Ada", lastName: `Member ${n}`, email: `member${n}@acme.example` });
const deps = { appUrl: "http://app.test", signingKey: generateKeyPairSync("ed25519").privateKey, db };

async function register(body: object) {
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35 });
  if (!placed.ok) throw new Error(placed.reason);
  return placed.order;
}

async function emailOf(orderId: string, kind: string) {
  const email = await db.emailOutbox.findFirstOrThrow({
    where: { orderId, kind },
    include: {
      order: {
        include: {
          edition: true,
          tickets: { include: { ticketType: true, voucher: { select: { code: true } } } },
          invoices: true,
        },
      },
    },
  });
  const composed = await composeEmail(deps, email);
  if (composed === "missing" || !("send" in composed)) throw new Error(`the ${kind} email should leave`);
  return composed.send;
}

describe("an order priced with a code, paid, receipted and invoiced", () => {
  it("sends Stripe one line per type, price and code, at the price paid, named with the code", async () => {
    const order = await register({
      buyer: person(0),
      tickets: [1, 2, 3].map((n) => ({ ticketType: "conference", attendee: person(n) })),
      code: "COMMUNITY-20",
      locale: "en",
    });
    expect(order.amountCents).toBe(60000);
    const checkout = await startCheckout(db, stripe, order.id, { appUrl: "http://app.test" });
    if (!checkout.ok) throw new Error(checkout.reason);
    // The local Stripe's hosted page lists the session's lines as Stripe received them.
    const page = await (await fetch(checkout.url)).text();
    expect(page).toContain(`Edition ${edition.slug.slice("edition-".length)} · conference — code COMMUNITY-20 × 3`);
    expect(page).toContain("€600.00");
  });

  it("invoices the price paid, the usual price and the code's discount beneath the line", async () => {
    const order = await register({
      buyer: person(10),
      tickets: [
        { ticketType: "sponsor", attendee: person(11) },
        { ticketType: "conference", attendee: person(12) },
      ],
      code: "acme k7qx m3pa",
      billing: { ...companyBilling, accountsEmail: "compta@acme.example" },
      locale: "fr",
    });
    expect(order).toMatchObject({ status: "PENDING", amountCents: 25000 });
    await payOrder(db, order.id);
    const invoice = await db.invoice.findFirstOrThrow({ where: { orderId: order.id, kind: "invoice" } });
    const document = storedInvoiceDocument(invoice.document);
    const name = `Édition ${edition.slug.slice("edition-".length)}`;
    expect(
      document.lines.map(({ description, quantity, unitPriceIncludingVatCents, includingVatCents }) => [
        description,
        quantity,
        unitPriceIncludingVatCents,
        includingVatCents,
      ]),
    ).toEqual([
      [`${name} · sponsor\nPrix habituel 400,00\u00a0€\nCode ACME-K7QX-M3PA\u00a0: −400,00\u00a0€`, 1, 0, 0],
      [`${name} · conference`, 1, 25000, 25000],
    ]);
    // VAT on what was paid: the free line adds none.
    expect(document.totals).toMatchObject({ includingVatCents: 25000, vatCents: 4167, excludingVatCents: 20833 });
    expect(pdfText(await renderInvoicePdf(document))).toContain("Code ACME-K7QX-M3PA\u00a0: −400,00\u00a0€");

    const receipt = await emailOf(order.id, "order_confirmation");
    expect(receipt.text).toContain(
      "sponsor : 0,00\u00a0€ (Prix habituel 400,00\u00a0€ · Code ACME-K7QX-M3PA\u00a0: −400,00\u00a0€)",
    );
    expect(receipt.html).toContain("Code ACME-K7QX-M3PA\u00a0: −400,00\u00a0€");
  });

  it("confirms an order its code makes free at once, and its receipt shows the usual price and the code", async () => {
    const order = await register({
      ...{ ticketType: "sponsor", attendee: person(20) },
      code: "ACME-K7QX-M3PA",
      locale: "en",
    });
    expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 0, holdExpiresAt: null });
    const receipt = await emailOf(order.id, "order_confirmation");
    expect(receipt.text).toContain("Usual price €400.00 · Code ACME-K7QX-M3PA: −€400.00");
    // Nothing paid: nothing to invoice.
    expect(await db.invoice.count({ where: { orderId: order.id } })).toBe(0);
  });
});
