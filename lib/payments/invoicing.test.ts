import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { invoiceCii } from "@/lib/invoices/cii";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";
import { composeEmail } from "@/lib/notifications/renderers";
import { registerAttendee } from "@/lib/orders/register";
import { invoiceLedgerCsv } from "@/lib/exports/invoice-ledger";
import { cancelOneTicket, refundOrder } from "./refunds";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { pdfEmbeddedFiles, pdfText } from "@/devtools/testing/pdf-text";
import { useTestDatabase } from "@/devtools/testing/test-database";

const { db } = await useTestDatabase();
const { payOrder, stripe } = await useLocalStripe();

const billing = { ...companyBilling, accountsEmail: "compta@acme.example" };
const buyer = { firstName: "Ada", lastName: "Office", email: "ada.office@acme.example", company: "Acme" };
const member = (n: number) => ({
  ticketType: "paid",
  attendee: { firstName: "Team", lastName: `Member ${n}`, email: `member${n}.${Date.now()}@acme.example` },
});

async function paidOrder(edition: { slug: string }, body: object) {
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35 });
  if (!placed.ok) throw new Error(placed.reason);
  await payOrder(db, placed.order.id);
  return db.order.findUniqueOrThrow({ where: { id: placed.order.id }, include: { invoices: true, emails: true } });
}

describe("an organisation's order paid by card", () => {
  // First: this file's database has no invoicing settings yet.
  it("is confirmed all the same while nobody has filled the invoicing settings, and not invoiced", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const order = await paidOrder(edition, { buyer, tickets: [member(0)], locale: "fr", billing });
    expect([order.status, order.invoices]).toEqual(["CONFIRMED", []]);
  });

  it("is invoiced in the one series, the invoice emailed to the buyer and the accounts email", async () => {
    const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });

    const order = await paidOrder(edition, {
      buyer,
      tickets: [member(1), member(2), member(3)],
      locale: "fr",
      billing,
    });
    expect(order.status).toBe("CONFIRMED");
    expect(order.invoices).toHaveLength(1);
    const document = storedInvoiceDocument(order.invoices[0].document);
    expect(document).toMatchObject({
      kind: "invoice",
      locale: "fr",
      buyer: { name: "Acme SAS", siren: "552100554", siret: "55210055400013", email: "compta@acme.example" },
      purchaseOrder: "PO-4500012345",
      orderReference: order.reference,
      lines: [{ quantity: 3, unitPriceIncludingVatCents: 4900, vatRateBasisPoints: 2000, includingVatCents: 14700 }],
      totals: { includingVatCents: 14700, excludingVatCents: 12250, vatCents: 2450 },
      payment: { means: "card" },
    });
    expect(document.number).toMatch(/^GCH-\d{4}-\d{6}$/);

    const invoiceEmails = order.emails.filter((email) => email.kind === "invoice");
    expect(invoiceEmails.map((email) => email.toAddress).sort()).toEqual([buyer.email, billing.accountsEmail].sort());
    const email = await db.emailOutbox.findUniqueOrThrow({
      where: { id: invoiceEmails[0].id },
      include: { order: { include: { edition: true, tickets: { include: { ticketType: true } }, invoices: true } } },
    });
    const composed = await composeEmail(
      { appUrl: "http://app.test", signingKey: generateKeyPairSync("ed25519").privateKey, db },
      email,
    );
    if (composed === "missing" || !("send" in composed)) throw new Error("the invoice email should leave");
    expect(composed.send.subject).toBe(`Facture ${document.number} : ${document.event.name}`);
    const pdf = composed.send.attachments?.[0]?.content as Buffer;
    expect(pdfText(pdf)).toContain(document.number);
    expect(pdfEmbeddedFiles(pdf).map((file) => file.contents.toString("utf8"))).toEqual([invoiceCii(document)]);

    // The next organisation's order takes the next number; an individual's order is not invoiced.
    const next = await paidOrder(edition, { buyer, tickets: [member(4)], locale: "en", billing });
    const [, , sequence] = document.number.split("-");
    const nextNumber = storedInvoiceDocument(next.invoices[0].document).number;
    expect(nextNumber.split("-")[2]).toBe(String(Number(sequence) + 1).padStart(6, "0"));
    const individual = await paidOrder(edition, { buyer, tickets: [member(5)], locale: "fr" });
    expect(individual.invoices).toEqual([]);

    // One ticket refunded: a credit note for its line, next in the series; then the rest, in a second one.
    const tickets = await db.ticket.findMany({ where: { orderId: order.id }, orderBy: { position: "asc" } });
    const cancelled = await cancelOneTicket(
      db,
      stripe,
      { orderId: order.id, ticketId: tickets[1].id },
      { refund: true, reason: "organiser_cancelled" },
    );
    expect(cancelled).toBe("refunded");
    expect(await refundOrder(db, stripe, order.id, { reason: "organiser_cancelled" })).toBe("refunded");
    const documents = (
      await db.invoice.findMany({ where: { orderId: order.id }, orderBy: [{ year: "asc" }, { sequence: "asc" }] })
    ).map((row) => storedInvoiceDocument(row.document));
    expect(
      documents.map(({ kind, corrects, totals, lines }) => [
        kind,
        corrects?.number ?? null,
        totals.includingVatCents,
        lines[0].quantity,
      ]),
    ).toEqual([
      ["invoice", null, 14700, 3],
      ["credit_note", document.number, 4900, 1],
      ["credit_note", document.number, 9800, 2],
    ]);
    const sequences = documents.map((issued) => Number(issued.number.split("-")[2]));
    expect(sequences[1]).toBeGreaterThan(Number(sequence) + 1);
    expect(sequences[2]).toBe(sequences[1] + 1);
    const emails = await db.emailOutbox.findMany({ where: { orderId: order.id, kind: "invoice" } });
    expect(emails).toHaveLength(6);

    // The accountant's export of the edition: the series in order, credit notes negative, amounts per rate.
    const csv = await new Response(invoiceLedgerCsv(db, { editionId: edition.id, locale: "fr" })).text();
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(header).toBe(
      "Numéro,Type,Date,Édition,Commande,Acheteur,SIREN,N° de TVA,Devise,Base HT 20 %,TVA 20 %,Base HT 10 %,TVA 10 %," +
        "Base HT 5.5 %,TVA 5.5 %,Base HT 2.1 %,TVA 2.1 %,Base HT 0 %,TVA 0 %,Total HT,Total TVA,Total TTC",
    );
    expect(rows.map((row) => row.split(",").filter((_, i) => [1, 4, 5, 6, 9, 10, 21].includes(i)))).toEqual([
      ["Facture", order.reference, "Acme SAS", "552100554", "122.5", "24.5", "147"],
      ["Facture", next.reference, "Acme SAS", "552100554", "40.83", "8.17", "49"],
      ["Avoir", order.reference, "Acme SAS", "552100554", "-40.83", "-8.17", "-49"],
      ["Avoir", order.reference, "Acme SAS", "552100554", "-81.67", "-16.33", "-98"],
    ]);
  });
});
