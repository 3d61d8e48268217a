import { isDeepStrictEqual } from "node:util";
import { Prisma, type Invoice } from "@/lib/generated/prisma/client";
import type { InvoiceDocument, InvoicePayment } from "./document";
import { invoiceDocumentJson, storedInvoiceDocument } from "./stored-document";
import { invoiceAmounts, type PricedLine, type VatRegime } from "./vat";

/**
 * The series' calendar. The number restarts at 1 each year: French rules ask for a unique number in one
 * chronological and continuous sequence, and the tax administration accepts a sequence per year when the year is
 * part of the number (GCH-2027-000001 cannot be taken for GCH-2028-000001). Each year is continuous and dates only
 * move forward across the series, so it stays chronological. The seller is French: its year is France's.
 */
export const SERIES_TIME_ZONE = "Europe/Paris";

/** An Invoice row with its document read back. */
export type IssuedDocument = Omit<Invoice, "document"> & { document: InvoiceDocument };

/** An invoice before its number: what the confirmation of a sale knows (amounts from invoiceAmounts). */
export type InvoiceDraft = Omit<InvoiceDocument, "kind" | "number" | "issuedAt" | "corrects">;

export type InvoiceIssue = { ok: true; invoice: IssuedDocument } | { ok: false; reason: "already_invoiced" };

/** What a credit note credits: every quantity its invoice has left, or some quantities of its lines (by index). */
export type CreditedLines = "whole" | { line: number; quantity: number }[];

export type CreditNoteIssue =
  | { ok: true; creditNote: IssuedDocument }
  | { ok: false; reason: "not_an_invoice" | "nothing_to_credit" }
  | { ok: false; reason: "exceeds_what_is_left"; left: number[] };

export function formatInvoiceNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix ? `${prefix}-` : ""}${year}-${String(sequence).padStart(6, "0")}`;
}

// Issuers queue here, on the series' one row, until the transaction that holds it ends: whatever an issuer reads
// after this (the order's invoice, a credit note's earlier credits) no other issuer can change before it commits.
async function lockSeries(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "InvoiceSeries" WHERE id = 1 FOR UPDATE`;
}

// The next number, under the lock: given back by a rollback with the rest of the transaction, so a number is
// never skipped nor given twice. The date never goes back (an instance whose clock lags dates its document as
// the previous one), so the numbers' order is the dates' order.
async function takeNextNumber(tx: Prisma.TransactionClient, now: Date) {
  const issuedAt = Prisma.sql`greatest(${now}::timestamptz, "lastIssuedAt")`;
  const yearOfIssue = Prisma.sql`extract(year FROM ${issuedAt} AT TIME ZONE ${SERIES_TIME_ZONE}::text)::int`;
  // On the right of SET, "year", "sequence" and "lastIssuedAt" are the row's values before this update.
  const [next] = await tx.$queryRaw<{ year: number; sequence: number; issuedAt: Date }[]>`
    UPDATE "InvoiceSeries"
       SET "lastIssuedAt" = ${issuedAt},
           "year" = ${yearOfIssue},
           "sequence" = CASE WHEN "year" = ${yearOfIssue} THEN "sequence" + 1 ELSE 1 END
     WHERE id = 1
    RETURNING "year", "sequence", "lastIssuedAt" AS "issuedAt"`;
  if (!next) throw new Error("the invoice series row is missing (migration 20261201110000_invoices creates it)");
  return next;
}

function regimeOf(document: Pick<InvoiceDocument, "seller" | "totals">): VatRegime {
  if (!document.seller.vatFranchise) return { franchise: false };
  return { franchise: true, mention: document.totals.byRate[0]?.exemption ?? "" };
}

function pricedLinesOf(document: Pick<InvoiceDocument, "lines" | "totals">, quantities?: number[]): PricedLine[] {
  const exemption = (rate: number) => document.totals.byRate.find((r) => r.vatRateBasisPoints === rate)?.exemption;
  return document.lines.flatMap((line, i) => {
    const quantity = quantities ? quantities[i] : line.quantity;
    if (quantity === 0) return [];
    return [{ ...line, quantity, exemption: exemption(line.vatRateBasisPoints) ?? null }];
  });
}

const amountsOf = (document: Pick<InvoiceDocument, "lines" | "totals">) => ({
  lines: document.lines,
  totals: document.totals,
});

async function insertDocument(
  tx: Prisma.TransactionClient,
  row: { orderId: string; correctsId: string | null; creditedQuantities: number[] },
  document: InvoiceDocument,
  allocated: { year: number; sequence: number },
): Promise<IssuedDocument> {
  const inserted = await tx.invoice.create({
    data: {
      ...row,
      kind: document.kind,
      number: document.number,
      year: allocated.year,
      sequence: allocated.sequence,
      issuedAt: document.issuedAt,
      document: invoiceDocumentJson(document),
      currency: document.currency,
      excludingVatCents: document.totals.excludingVatCents,
      vatCents: document.totals.vatCents,
      includingVatCents: document.totals.includingVatCents,
    },
  });
  return { ...inserted, document };
}

/**
 * Issues the invoice of an order in `tx`, the transaction of the change that causes it (the order's
 * confirmation): its number is taken there, and a rollback of the confirmation gives it back. The draft's
 * amounts must be invoiceAmounts' (a document that does not add up is a bug, thrown). An order is invoiced once.
 */
export async function issueInvoice(
  tx: Prisma.TransactionClient,
  input: { orderId: string; prefix: string; draft: InvoiceDraft; now: Date },
): Promise<InvoiceIssue> {
  const { draft } = input;
  if (draft.lines.length === 0) throw new Error("issueInvoice: an invoice has at least one line (EN 16931 BR-16)");
  if (!isDeepStrictEqual(invoiceAmounts(pricedLinesOf(draft), regimeOf(draft)), amountsOf(draft))) {
    throw new Error("issueInvoice: the draft's amounts are not those invoiceAmounts gives for its lines");
  }
  await lockSeries(tx);
  if (await tx.invoice.findFirst({ where: { orderId: input.orderId, kind: "invoice" }, select: { id: true } })) {
    return { ok: false, reason: "already_invoiced" };
  }
  const allocated = await takeNextNumber(tx, input.now);
  const document: InvoiceDocument = {
    ...draft,
    kind: "invoice",
    number: formatInvoiceNumber(input.prefix, allocated.year, allocated.sequence),
    issuedAt: allocated.issuedAt,
    corrects: null,
  };
  const invoice = await insertDocument(
    tx,
    { orderId: input.orderId, correctsId: null, creditedQuantities: [] },
    document,
    allocated,
  );
  return { ok: true, invoice };
}

// Per line of the invoice, the quantity a credit note asks for (a line may be named more than once).
function requestedQuantities(lines: CreditedLines, left: number[]): number[] {
  if (lines === "whole") return [...left];
  const quantities = left.map(() => 0);
  for (const { line, quantity } of lines) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0 || !Number.isInteger(line) || !(line in quantities)) {
      throw new RangeError("issueCreditNote: a line index of the invoice and a positive quantity");
    }
    quantities[line] += quantity;
  }
  return quantities;
}

/**
 * Issues a credit note for an invoice in `tx`, the transaction of the change that causes it (a cancellation, a
 * refund), next in the same series. It credits quantities of the invoice's lines, never more than the invoice
 * has left once its earlier credit notes are counted; "whole" credits everything left. It is the invoice's
 * document with the credited lines (their amounts by invoiceAmounts' rule), the credit note's number and date and
 * the invoice it corrects; `payment` (how the money goes back) replaces the invoice's when given.
 */
export async function issueCreditNote(
  tx: Prisma.TransactionClient,
  input: { invoiceId: string; lines: CreditedLines; prefix: string; now: Date; payment?: InvoicePayment },
): Promise<CreditNoteIssue> {
  await lockSeries(tx);
  const invoice = await tx.invoice.findUnique({ where: { id: input.invoiceId } });
  if (!invoice || invoice.kind !== "invoice") return { ok: false, reason: "not_an_invoice" };
  const invoiced = storedInvoiceDocument(invoice.document);
  const earlier = await tx.invoice.findMany({
    where: { correctsId: invoice.id },
    select: { creditedQuantities: true },
  });
  const left = invoiced.lines.map(
    (line, i) => line.quantity - earlier.reduce((sum, credit) => sum + (credit.creditedQuantities[i] ?? 0), 0),
  );
  const quantities = requestedQuantities(input.lines, left);
  if (quantities.some((quantity, i) => quantity > left[i])) return { ok: false, reason: "exceeds_what_is_left", left };
  if (quantities.every((quantity) => quantity === 0)) return { ok: false, reason: "nothing_to_credit" };
  const allocated = await takeNextNumber(tx, input.now);
  const document: InvoiceDocument = {
    ...invoiced,
    ...invoiceAmounts(pricedLinesOf(invoiced, quantities), regimeOf(invoiced)),
    kind: "credit_note",
    number: formatInvoiceNumber(input.prefix, allocated.year, allocated.sequence),
    issuedAt: allocated.issuedAt,
    corrects: { number: invoice.number, issuedAt: invoice.issuedAt },
    payment: input.payment ?? invoiced.payment,
  };
  const creditNote = await insertDocument(
    tx,
    { orderId: invoice.orderId, correctsId: invoice.id, creditedQuantities: quantities },
    document,
    allocated,
  );
  return { ok: true, creditNote };
}
