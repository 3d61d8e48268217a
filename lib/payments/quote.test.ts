import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { absoluteUrl, editionPath, orderPath, payPath } from "@/lib/http/paths";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { composeEmail, type Composed } from "@/lib/notifications/renderers";
import { registerAttendee } from "@/lib/orders/register";
import { expireLapsedHolds } from "./expire-holds";
import { renderOrderQuote } from "./quote";
import { confirmTransfer, moveTransferDeadline } from "./transfer";
import { printedTransferReference, transferReferenceFor } from "./transfer-reference";
import { sendTransferExpiryNotices, sendTransferReminders } from "./transfer-reminders";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { pdfEmbeddedFiles, pdfText } from "@/devtools/testing/pdf-text";
import { useTestDatabase } from "@/devtools/testing/test-database";

const { db } = await useTestDatabase();

const DAY = 86_400_000;
const APP = "https://tickets.example.org";
const deps = { appUrl: APP, signingKey: generateKeyPairSync("ed25519").privateKey, db };
const billing = { ...companyBilling, accountsEmail: "compta@acme.example" };
let serial = 0;
const person = (firstName: string) => {
  serial += 1;
  return { firstName, lastName: "Office", email: `${firstName.toLowerCase()}${serial}@acme.example` };
};
// Intl writes (narrow) no-break spaces in amounts and rates: compared as plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

beforeAll(async () => {
  const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
});

/** An edition taking transfers, with a ticket at 20 % VAT and a workshop at 5.5 %. */
async function transferEdition() {
  const edition = await createEdition(db, {
    capacity: 20,
    ticketTypes: [
      { code: "paid", priceCents: 4900 },
      { code: "workshop", priceCents: 5500 },
    ],
  });
  const workshop = edition.ticketTypes.find((type) => type.code === "workshop");
  await db.ticketType.update({ where: { id: workshop?.id }, data: { vatRateBasisPoints: 550 } });
  return db.edition.update({ where: { id: edition.id }, data: { transferDays: 14, transferClosesDaysBefore: 7 } });
}

async function orderByTransfer(
  edition: { slug: string },
  { at, locale = "fr", business = true }: { at?: Date; locale?: "fr" | "en"; business?: boolean } = {},
) {
  const buyer = person("Ada");
  const tickets = [
    { ticketType: "paid", attendee: person("Team") },
    { ticketType: "paid", attendee: person("Team") },
    { ticketType: "workshop", attendee: person("Team") },
  ];
  const body = { buyer, tickets, locale, billing: business ? billing : null, paymentMethod: "transfer" };
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35, now: at });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return db.order.findUniqueOrThrow({ where: { id: placed.order.id } });
}

describe("the quote of an order awaiting a bank transfer", () => {
  const now = new Date("2027-03-01T10:00:00Z");

  it("prints its lines, VAT per rate, totals, the account, the deadline and the reference to quote", async () => {
    const order = await orderByTransfer(await transferEdition(), { at: now });
    const quote = await renderOrderQuote(db, { accessToken: order.accessToken }, now);
    if (!quote.ok) throw new Error(quote.reason);
    expect(quote.fileName).toBe(`devis-${order.reference}.pdf`);
    expect(quote.quote).toMatchObject({
      kind: "quote",
      number: order.reference,
      issuedAt: order.createdAt,
      buyer: { name: "Acme SAS", isBusiness: true, siret: "55210055400013", email: "compta@acme.example" },
      lines: [
        { quantity: 2, vatRateBasisPoints: 2000, includingVatCents: 9800 },
        { quantity: 1, vatRateBasisPoints: 550, includingVatCents: 5500 },
      ],
      totals: {
        includingVatCents: order.amountCents,
        byRate: [
          { vatRateBasisPoints: 2000, excludingVatCents: 8167, vatCents: 1633 },
          { vatRateBasisPoints: 550, excludingVatCents: 5213, vatCents: 287 },
        ],
      },
      payment: { dueAt: order.holdExpiresAt, paidAt: null },
    });
    expect(order.amountCents).toBe(15300);

    const text = plain(pdfText(quote.pdf));
    const reference = printedTransferReference(transferReferenceFor(order.reference));
    for (const printed of [
      "Devis – facture pro forma",
      `N° ${order.reference}`,
      "Client",
      "Acme SAS",
      "Bon de commande : PO-4500012345",
      "TVA 20 % sur 81,67 € 16,33 €",
      "TVA 5,5 % sur 52,13 € 2,87 €",
      "Total TTC 153,00 €",
      "Payable par virement au plus tard le 15 mars 2027",
      "IBAN : FR76 3000 6000 0112 3456 7890 189",
      "BIC : BNPAFRPP",
      reference,
      "Merci d’indiquer cette référence avec votre virement",
      "La facture est émise à réception du paiement.",
    ]) {
      expect(text).toContain(printed);
    }
    // A quote is no invoice: no Factur-X XML inside, no late-payment terms (they follow an invoice's due date).
    expect(pdfEmbeddedFiles(quote.pdf)).toEqual([]);
    expect(text).not.toContain("Pénalités de retard");

    // The payer's link draws the same quote.
    const paid = await renderOrderQuote(db, { payToken: order.payToken ?? "" }, now);
    expect(paid.ok && paid.quote).toEqual(quote.quote);
  });

  it("names an individual buyer only, in their language", async () => {
    const order = await orderByTransfer(await transferEdition(), { at: now, locale: "en", business: false });
    const quote = await renderOrderQuote(db, { id: order.id }, now);
    if (!quote.ok) throw new Error(quote.reason);
    expect(quote.quote.buyer).toMatchObject({ name: `Ada Office`, isBusiness: false, address: null, siren: null });
    const text = plain(pdfText(quote.pdf));
    expect(quote.fileName).toBe(`quote-${order.reference}.pdf`);
    expect(text).toContain("Quote (pro forma invoice)");
    expect(text).toContain("Customer");
    expect(text).toContain("Ada Office");
    expect(text).not.toContain(order.buyerEmail);
    expect(text).toContain("Payable by bank transfer by March 15, 2027");
    expect(text).toContain("Total incl. VAT €153.00");
    expect(text).toContain(printedTransferReference(transferReferenceFor(order.reference)));
  });

  it("is refused for an unknown link, and once the order no longer awaits a transfer", async () => {
    const edition = await transferEdition();
    expect(await renderOrderQuote(db, { accessToken: "x".repeat(32) }, now)).toEqual({
      ok: false,
      reason: "unknown_order",
    });
    expect(await renderOrderQuote(db, { payToken: "../not a token" }, now)).toEqual({
      ok: false,
      reason: "unknown_order",
    });
    const byCard = await registerAttendee(
      db,
      edition.slug,
      { buyer: person("Bob"), tickets: [{ ticketType: "paid", attendee: person("Bob") }], locale: "fr" },
      { holdMinutes: 35, now },
    );
    if (!byCard.ok) throw new Error(byCard.reason);
    const notAwaiting = { ok: false, reason: "not_awaiting_transfer" };
    expect(await renderOrderQuote(db, { id: byCard.order.id }, now)).toEqual(notAwaiting);

    const lapsed = await orderByTransfer(edition, { at: now });
    const afterDeadline = new Date((lapsed.holdExpiresAt?.getTime() ?? 0) + 1);
    expect(await renderOrderQuote(db, { accessToken: lapsed.accessToken }, afterDeadline)).toEqual(notAwaiting);

    const paid = await orderByTransfer(edition, { at: now });
    const transfer = { orderId: paid.id, amountCents: paid.amountCents, currency: "EUR", recordedBy: "treasurer" };
    expect(await confirmTransfer(db, { ...transfer, receivedOn: now }, now)).toMatchObject({ ok: true });
    expect(await renderOrderQuote(db, { payToken: paid.payToken ?? "" }, now)).toEqual(notAwaiting);
  });
});

// The emails leave when the worker sends them: rendered on the real clock, for orders placed on it.
describe("the transfer emails", () => {
  const emailInclude = {
    order: { include: { edition: true, tickets: { include: { ticketType: true } }, invoices: true } },
  } as const;

  async function composed(orderId: string, kind: string, toAddress?: string) {
    const email = await db.emailOutbox.findFirstOrThrow({
      where: { orderId, kind, ...(toAddress ? { toAddress } : {}) },
      include: emailInclude,
    });
    return composeEmail(deps, email);
  }

  function sent(composed: Composed) {
    if (composed === "missing" || !("send" in composed)) throw new Error(`should leave: ${JSON.stringify(composed)}`);
    const { subject, text, html, attachments } = composed.send;
    return {
      subject: plain(String(subject)),
      text: plain(String(text)),
      html: String(html),
      attachments: attachments ?? [],
    };
  }

  const deadlineOf = (order: { holdExpiresAt: Date | null }, locale: "fr" | "en") =>
    new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "Europe/Paris" }).format(order.holdExpiresAt!);

  it("send the quote to the buyer with both links, and to the accounts email with the payment link only", async () => {
    const order = await orderByTransfer(await transferEdition());
    const orderUrl = absoluteUrl(APP, orderPath("fr", order.accessToken));
    const payUrl = absoluteUrl(APP, payPath("fr", order.payToken ?? ""));
    const reference = printedTransferReference(transferReferenceFor(order.reference));

    const buyer = sent(await composed(order.id, "transfer_quote", order.buyerEmail));
    const accounts = sent(await composed(order.id, "transfer_quote", "compta@acme.example"));
    for (const email of [buyer, accounts]) {
      expect(email.subject).toContain(`virement de 153,00 € au plus tard le ${plain(deadlineOf(order, "fr"))}`);
      for (const line of ["Montant : 153,00 €", "IBAN : FR76 3000 6000 0112 3456 7890 189", "BIC : BNPAFRPP"]) {
        expect(email.text).toContain(line);
      }
      expect(email.text).toContain(`Référence à indiquer : ${reference}`);
      expect(email.text).toContain(payUrl);
      expect(email.html).toContain(`href="${payUrl}"`);
      const [attachment] = email.attachments;
      expect(attachment).toMatchObject({ filename: `devis-${order.reference}.pdf`, contentType: "application/pdf" });
      expect(pdfText(attachment.content as Buffer)).toContain(reference);
    }
    expect(buyer.text).toContain(orderUrl);
    expect(buyer.text).toContain("Bonjour Ada,");
    expect(accounts.text).not.toContain(order.accessToken);
    expect(accounts.text).toContain(`Ada Office a commandé des billets`);

    // Paid before the email left: nothing left to ask, it stays unsent.
    const transfer = { orderId: order.id, amountCents: order.amountCents, currency: "EUR", recordedBy: "treasurer" };
    expect(await confirmTransfer(db, { ...transfer, receivedOn: new Date() }, new Date())).toMatchObject({ ok: true });
    expect(await composed(order.id, "transfer_quote", order.buyerEmail)).toEqual({
      supersededBecause: "order no longer awaiting a transfer (CONFIRMED)",
    });
  });

  it("remind the buyer with the quote again, unless the deadline moved since", async () => {
    const order = await orderByTransfer(await transferEdition(), { locale: "en" });
    const deadline = order.holdExpiresAt!;
    await sendTransferReminders(db, new Date(deadline.getTime() - 2 * DAY));
    const reminder = sent(await composed(order.id, "transfer_reminder"));
    expect(reminder.subject).toMatch(/^Reminder: bank transfer for Edition .+ due by /);
    expect(reminder.subject).toContain(`due by ${plain(deadlineOf(order, "en"))}`);
    expect(reminder.text).toContain("Amount: €153.00");
    expect(reminder.text).toContain(absoluteUrl(APP, payPath("en", order.payToken ?? "")));
    expect(reminder.text).not.toContain(order.accessToken);
    expect(reminder.attachments[0]).toMatchObject({ filename: `quote-${order.reference}.pdf` });

    const later = new Date(deadline.getTime() + 5 * DAY);
    expect(await moveTransferDeadline(db, { orderId: order.id, deadline: later })).toMatchObject({ ok: true });
    expect(await composed(order.id, "transfer_reminder")).toEqual({ supersededBecause: "deadline changed" });
  });

  it("tell the buyer the order is cancelled past its deadline, unless a late transfer confirmed it", async () => {
    const edition = await transferEdition();
    const order = await orderByTransfer(edition);
    const afterDeadline = new Date(order.holdExpiresAt!.getTime() + 60_000);
    await expireLapsedHolds(db, null, afterDeadline);
    await sendTransferExpiryNotices(db, afterDeadline);
    const notice = sent(await composed(order.id, "transfer_expired"));
    expect(notice.subject).toContain(`Commande ${order.reference}`);
    expect(notice.text).toContain(`date limite du ${plain(deadlineOf(order, "fr"))} : la commande est annulée`);
    expect(notice.text).toContain(absoluteUrl(APP, editionPath("fr", edition.slug)));
    expect(notice.attachments).toEqual([]);

    const transfer = { orderId: order.id, amountCents: order.amountCents, currency: "EUR", recordedBy: "treasurer" };
    const late = await confirmTransfer(db, { ...transfer, receivedOn: afterDeadline }, afterDeadline);
    expect(late).toEqual({ ok: true, outcome: "confirmed_late" });
    expect(await composed(order.id, "transfer_expired")).toEqual({
      supersededBecause: "order no longer expired (CONFIRMED)",
    });
  });
});
