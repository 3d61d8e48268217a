import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition } from "@/devtools/testing/fixtures";
import type { Db } from "@/lib/db/prisma";
import type { InvoiceDocument, Seller } from "./document";
import { issueCreditNote, issueInvoice, type InvoiceDraft } from "./issue";
import { storedInvoiceDocument } from "./stored-document";
import { invoiceAmounts, type PricedLine } from "./vat";

const { db, newClient } = await useTestDatabase();

const PREFIX = "GCH";
const LONG = { maxWait: 60_000, timeout: 60_000 };

// The series restarts each year: each test issues in a year of its own, later than the previous test's (the
// series never dates back), so that its numbers start at 1.
let lastYear = 2030;
const nextYear = () => ++lastYear;
const inYear = (year: number, ms = 0) => new Date(Date.UTC(year, 5, 1, 10, 0, 0, ms));

const SELLER: Seller = {
  legalName: "Association Open Cloud",
  address: { lines: ["12 rue des Lilas"], postcode: "75011", city: "Paris", country: "FR" },
  legalForm: "Association loi 1901",
  shareCapitalCents: null,
  siren: "732829320",
  siret: "73282932000074",
  rcs: null,
  vatNumber: "FR44732829320",
  vatFranchise: false,
  email: "factures@example.org",
};

const TICKETS: PricedLine[] = [
  { description: "Conference pass", quantity: 3, unitPriceIncludingVatCents: 4905, vatRateBasisPoints: 2000 },
  { description: "Workshop", quantity: 1, unitPriceIncludingVatCents: 2500, vatRateBasisPoints: 550 },
];

function draftFor(orderReference: string, priced = TICKETS): InvoiceDraft {
  return {
    locale: "fr",
    currency: "EUR",
    seller: SELLER,
    buyer: {
      name: "Analytical Engines SAS",
      address: { lines: ["1 quai de la Gare"], postcode: "75013", city: "Paris", country: "FR" },
      isBusiness: true,
      siren: "552100554",
      siret: "55210055400013",
      vatNumber: "FR03552100554",
      email: "compta@example.com",
    },
    event: {
      name: "Open Cloud Paris #13",
      startsAt: new Date("2027-05-20T07:00:00Z"),
      endsAt: new Date("2027-05-20T16:30:00Z"),
      timeZone: "Europe/Paris",
      venueName: "Espace Charenton",
      venueAddress: "327 rue de Charenton, Paris",
    },
    orderReference,
    purchaseOrder: "PO-42",
    publicBuyer: null,
    ...invoiceAmounts(priced, { franchise: false }),
    payment: {
      means: "card",
      terms: "Paiement à réception",
      dueAt: null,
      paidAt: new Date("2027-03-01T09:00:00Z"),
      iban: null,
      bic: null,
      transferReference: null,
      latePenaltyRate: "10 %",
    },
  };
}

async function createOrders(count: number) {
  const edition = await createEdition(db, { capacity: 10 });
  const orders = Array.from({ length: count }, () => {
    const reference = randomUUID().slice(0, 12);
    return {
      reference,
      accessToken: randomUUID().replaceAll("-", ""),
      editionId: edition.id,
      buyerFirstName: "Ada",
      buyerLastName: "Lovelace",
      buyerEmail: "ada@example.org",
      locale: "fr" as const,
      status: "CONFIRMED" as const,
      confirmedAt: new Date(),
      amountCents: 19215,
      currency: "EUR",
    };
  });
  await db.order.createMany({ data: orders });
  return db.order.findMany({ where: { editionId: edition.id }, orderBy: { reference: "asc" } });
}

function invoiceOrder(client: Db, order: { id: string; reference: string }, now: Date) {
  return client.$transaction(async (tx) => {
    const issued = await issueInvoice(tx, { orderId: order.id, prefix: PREFIX, draft: draftFor(order.reference), now });
    if (!issued.ok) throw new Error(issued.reason);
    return issued.invoice;
  }, LONG);
}

const sequences = (rows: { sequence: number }[]) => rows.map((row) => row.sequence).sort((a, b) => a - b);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("issueInvoice", () => {
  it("numbers the invoice in the series and keeps the document it printed", async () => {
    const year = nextYear();
    const [order] = await createOrders(1);
    const invoice = await invoiceOrder(db, order, inYear(year));
    expect(invoice).toMatchObject({
      kind: "invoice",
      number: `GCH-${year}-000001`,
      year,
      sequence: 1,
      issuedAt: inYear(year),
      orderId: order.id,
      correctsId: null,
      currency: "EUR",
      excludingVatCents: 14633,
      vatCents: 2582,
      includingVatCents: 17215,
    });
    const row = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    const expected: InvoiceDocument = {
      ...draftFor(order.reference),
      kind: "invoice",
      number: `GCH-${year}-000001`,
      issuedAt: inYear(year),
      corrects: null,
    };
    expect(storedInvoiceDocument(row.document)).toEqual(expected);
    expect(invoice.document).toEqual(expected);
  });

  it("gives 200 concurrent issuings on separate connections the numbers 1..200, dated in that order", async () => {
    const year = nextYear();
    const orders = await createOrders(200);
    // Two app instances; the later issuings carry the earlier clocks, as an instance whose clock lags.
    const instances = [newClient(25), newClient(25)];
    const invoices = await Promise.all(
      orders.map((order, i) => invoiceOrder(instances[i % 2], order, inYear(year, 200 - i))),
    );
    expect(sequences(invoices)).toEqual(oneTo(200));
    expect(new Set(invoices.map((invoice) => invoice.number)).size).toBe(200);
    expect(new Set(invoices.map((invoice) => invoice.orderId)).size).toBe(200);
    const inOrder = await db.invoice.findMany({ where: { year }, orderBy: { sequence: "asc" } });
    const dates = inOrder.map((invoice) => invoice.issuedAt.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it("leaves no gap when the issuing transactions roll back: 50 of 100 → 1..50, then 51", async () => {
    const year = nextYear();
    const orders = await createOrders(101);
    const instances = [newClient(20), newClient(20)];
    const outcomes = await Promise.allSettled(
      orders.slice(0, 100).map((order, i) =>
        instances[i % 2].$transaction(async (tx) => {
          const issued = await issueInvoice(tx, {
            orderId: order.id,
            prefix: PREFIX,
            draft: draftFor(order.reference),
            now: inYear(year),
          });
          // The confirmation that caused it fails afterwards, in the same transaction.
          if (i % 2 === 1) throw new Error("confirmation failed");
          return issued;
        }, LONG),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(50);
    const kept = await db.invoice.findMany({ where: { year } });
    expect(sequences(kept)).toEqual(oneTo(50));
    expect(new Set(kept.map((invoice) => invoice.orderId))).toEqual(
      new Set(orders.filter((_, i) => i < 100 && i % 2 === 0).map((order) => order.id)),
    );
    const next = await invoiceOrder(db, orders[100], inYear(year));
    expect(next.number).toBe(`GCH-${year}-000051`);
  });

  it("restarts each year on France's calendar and never dates a document before the previous one", async () => {
    const year = nextYear();
    const [a, b, c] = await createOrders(3);
    // 23:30 in Paris on 31 December, then 00:30 on 1 January.
    const first = await invoiceOrder(db, a, new Date(Date.UTC(year, 11, 31, 22, 30)));
    const second = await invoiceOrder(db, b, new Date(Date.UTC(year, 11, 31, 23, 30)));
    // An instance whose clock is behind: dated as the previous document, numbered after it.
    const third = await invoiceOrder(db, c, new Date(Date.UTC(year, 11, 31, 23, 0)));
    expect([first.number, second.number, third.number]).toEqual([
      `GCH-${year}-000001`,
      `GCH-${year + 1}-000001`,
      `GCH-${year + 1}-000002`,
    ]);
    expect(third.issuedAt).toEqual(second.issuedAt);
    expect(third.document.issuedAt).toEqual(second.issuedAt);
    lastYear = year + 1;
  });

  it("invoices an order once, without using a number", async () => {
    const year = nextYear();
    const [order, other] = await createOrders(2);
    await invoiceOrder(db, order, inYear(year));
    const again = await db.$transaction((tx) =>
      issueInvoice(tx, { orderId: order.id, prefix: PREFIX, draft: draftFor(order.reference), now: inYear(year) }),
    );
    expect(again).toEqual({ ok: false, reason: "already_invoiced" });
    expect((await invoiceOrder(db, other, inYear(year))).sequence).toBe(2);
  });

  it("refuses a draft whose amounts do not add up", async () => {
    const [order] = await createOrders(1);
    const draft = draftFor(order.reference);
    const wrong = { ...draft, totals: { ...draft.totals, vatCents: draft.totals.vatCents + 1 } };
    await expect(
      db.$transaction((tx) => issueInvoice(tx, { orderId: order.id, prefix: PREFIX, draft: wrong, now: new Date() })),
    ).rejects.toThrow(/amounts/);
    const empty = { ...draft, ...invoiceAmounts([], { franchise: false }) };
    await expect(
      db.$transaction((tx) => issueInvoice(tx, { orderId: order.id, prefix: PREFIX, draft: empty, now: new Date() })),
    ).rejects.toThrow(/at least one line/);
  });
});

describe("issueCreditNote", () => {
  const credit = (invoiceId: string, lines: Parameters<typeof issueCreditNote>[1]["lines"], now: Date, client = db) =>
    client.$transaction((tx) => issueCreditNote(tx, { invoiceId, lines, prefix: PREFIX, now }), LONG);

  it("takes the next number of the series and references its invoice", async () => {
    const year = nextYear();
    const [order] = await createOrders(1);
    const invoice = await invoiceOrder(db, order, inYear(year));
    const issued = await credit(invoice.id, [{ line: 0, quantity: 1 }], inYear(year, 5));
    if (!issued.ok) throw new Error(issued.reason);
    const { creditNote } = issued;
    expect(creditNote).toMatchObject({
      kind: "credit_note",
      number: `GCH-${year}-000002`,
      sequence: 2,
      orderId: order.id,
      correctsId: invoice.id,
      creditedQuantities: [1, 0],
      excludingVatCents: 4088,
      vatCents: 817,
      includingVatCents: 4905,
    });
    const stored = storedInvoiceDocument(
      (await db.invoice.findUniqueOrThrow({ where: { id: creditNote.id } })).document,
    );
    expect(stored).toEqual(creditNote.document);
    expect(stored).toMatchObject({
      kind: "credit_note",
      number: `GCH-${year}-000002`,
      corrects: { number: invoice.number, issuedAt: invoice.issuedAt },
      buyer: invoice.document.buyer,
      seller: invoice.document.seller,
      lines: [
        { description: "Conference pass", quantity: 1, unitPriceIncludingVatCents: 4905, vatRateBasisPoints: 2000 },
      ],
    });
  });

  it("never credits more than its invoice has left, and credits exactly the rest with 'whole'", async () => {
    const year = nextYear();
    const [order] = await createOrders(1);
    const invoice = await invoiceOrder(db, order, inYear(year));
    expect((await credit(invoice.id, [{ line: 0, quantity: 1 }], inYear(year))).ok).toBe(true);
    expect(await credit(invoice.id, [{ line: 0, quantity: 3 }], inYear(year))).toEqual({
      ok: false,
      reason: "exceeds_what_is_left",
      left: [2, 1],
    });
    expect(
      await credit(
        invoice.id,
        [
          { line: 0, quantity: 1 },
          { line: 0, quantity: 2 },
        ],
        inYear(year),
      ),
    ).toMatchObject({ ok: false, reason: "exceeds_what_is_left" });
    const rest = await credit(invoice.id, "whole", inYear(year));
    expect(rest.ok && rest.creditNote.creditedQuantities).toEqual([2, 1]);
    expect(await credit(invoice.id, "whole", inYear(year))).toEqual({ ok: false, reason: "nothing_to_credit" });
    expect(await credit(invoice.id, [{ line: 1, quantity: 1 }], inYear(year))).toMatchObject({
      ok: false,
      reason: "exceeds_what_is_left",
    });
    const credited = await db.invoice.aggregate({
      where: { correctsId: invoice.id },
      _sum: { includingVatCents: true },
    });
    expect(credited._sum.includingVatCents).toBe(invoice.includingVatCents);
    // The refused attempts took no number.
    expect(sequences(await db.invoice.findMany({ where: { year } }))).toEqual(oneTo(3));
    // A credit note is not an invoice to credit.
    expect(rest.ok && (await credit(rest.creditNote.id, "whole", inYear(year)))).toEqual({
      ok: false,
      reason: "not_an_invoice",
    });
    await expect(credit(invoice.id, [{ line: 2, quantity: 1 }], inYear(year))).rejects.toThrow(RangeError);
  });

  it("credits an invoice under the VAT franchise with no VAT and the franchise's mention", async () => {
    const year = nextYear();
    const [order] = await createOrders(1);
    const mention = "TVA non applicable, art. 293 B du CGI";
    const draft = {
      ...draftFor(order.reference),
      seller: { ...SELLER, vatNumber: null, vatFranchise: true },
      ...invoiceAmounts(TICKETS, { franchise: true, mention }),
    };
    const issued = await db.$transaction((tx) =>
      issueInvoice(tx, { orderId: order.id, prefix: PREFIX, draft, now: inYear(year) }),
    );
    if (!issued.ok) throw new Error(issued.reason);
    const refund = await credit(issued.invoice.id, [{ line: 1, quantity: 1 }], inYear(year));
    expect(refund.ok && refund.creditNote.document.totals).toEqual({
      excludingVatCents: 2500,
      vatCents: 0,
      includingVatCents: 2500,
      byRate: [{ vatRateBasisPoints: 0, excludingVatCents: 2500, vatCents: 0, exemption: mention }],
    });
  });

  it("grants concurrent credit notes on one invoice no more than it has left", async () => {
    const year = nextYear();
    const [order] = await createOrders(1);
    const invoice = await invoiceOrder(db, order, inYear(year));
    const instances = [newClient(10), newClient(10)];
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        credit(invoice.id, [{ line: 0, quantity: 1 }], inYear(year), instances[i % 2]),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(3);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.reason)).toEqual(
      Array(9).fill("exceeds_what_is_left"),
    );
    expect(sequences(await db.invoice.findMany({ where: { year } }))).toEqual(oneTo(4));
  });
});

describe("an issued document", () => {
  it("is never updated nor deleted, by the app or by hand", async () => {
    const year = nextYear();
    const [order] = await createOrders(1);
    const invoice = await invoiceOrder(db, order, inYear(year));
    const changed = { ...invoice.document, buyer: { ...invoice.document.buyer, name: "Someone else" } };
    await expect(
      db.invoice.update({ where: { id: invoice.id }, data: { document: JSON.parse(JSON.stringify(changed)) } }),
    ).rejects.toThrow(/never updated or deleted/);
    await expect(db.$executeRaw`UPDATE "Invoice" SET "vatCents" = 0 WHERE id = ${invoice.id}::uuid`).rejects.toThrow(
      /never updated or deleted/,
    );
    await expect(db.invoice.delete({ where: { id: invoice.id } })).rejects.toThrow(/never updated or deleted/);
    await expect(db.order.delete({ where: { id: order.id } })).rejects.toThrow();
    const row = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(storedInvoiceDocument(row.document)).toEqual(invoice.document);
    expect(row.vatCents).toBe(invoice.vatCents);
  });
});
