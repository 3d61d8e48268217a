import type { Db } from "@/lib/db/prisma";
import type { OrderStatus, Prisma } from "@/lib/generated/prisma/client";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import {
  isBookingDay,
  isCurrencyCode,
  parseStatement,
  SKIP_REASONS,
  skippedLine,
  type SkippedLine,
  type StatementLine,
  type StatementParse,
} from "./bank-statement";
import { matchStatement, type AwaitedTransfer } from "./statement-matching";
import { confirmTransfer, type TransferOutcome } from "./transfer";
import { quotesOrder, transferReferenceFor } from "./transfer-reference";

/** The largest statement file taken (a server action's body holds at most 1 MiB, the form's fields included). */
export const MAX_STATEMENT_BYTES = 1_000_000;

export type StatementUpload = { fileName: string; bytes: Uint8Array };

export type ImportResult =
  | { ok: true; importId: string; lines: number; skipped: number }
  | {
      ok: false;
      reason: "too_large" | "not_text" | Extract<StatementParse, { ok: false }>["reason"] | "no_credit";
      detail?: string;
    }
  | { ok: false; reason: "no_line_read"; skipped: SkippedLine[] };

const storedLine = z.object({
  id: z.string().min(1),
  bookedOn: z.string().refine(isBookingDay),
  amountCents: z.number().int().positive(),
  currency: z.string().refine(isCurrencyCode),
  payer: z.string().nullable(),
  references: z.array(z.string()),
  text: z.string(),
});
const storedSkip = z.object({
  skipped: z.object({
    line: z.number().int().nullable(),
    reason: z.enum(SKIP_REASONS),
    value: z.string(),
  }),
});

const STORED_FIELD_REASONS = new Map<string, SkippedLine["reason"]>([
  ["bookedOn", "date"],
  ["amountCents", "amount"],
  ["currency", "currency"],
]);

/**
 * StatementImport.lines as stored: the credits read, then the lines that could not be (`{ skipped }`). Read
 * back defensively: an import stored by an earlier, laxer parser (a date that does not exist) shows that line
 * as skipped rather than breaking its review.
 */
function storedLines(json: unknown): { lines: StatementLine[]; skipped: SkippedLine[] } {
  const lines: StatementLine[] = [];
  const skipped: SkippedLine[] = [];
  for (const element of Array.isArray(json) ? json : []) {
    const line = storedLine.safeParse(element);
    if (line.success) {
      lines.push(line.data);
      continue;
    }
    const skip = storedSkip.safeParse(element);
    if (skip.success) {
      skipped.push(skip.data.skipped);
      continue;
    }
    const field = line.error.issues[0]?.path[0];
    const value =
      element && typeof element === "object" && typeof field === "string"
        ? (element as Record<string, unknown>)[field]
        : "";
    const reason = STORED_FIELD_REASONS.get(String(field));
    skipped.push(reason ? skippedLine(null, reason, String(value)) : skippedLine(null, "unreadable"));
  }
  return { lines, skipped };
}

/**
 * Reads an uploaded statement and keeps its credits as read (StatementImport), for the organiser to review and
 * confirm from this copy, with the lines that could not be read, for the organiser to check. A file that is not
 * a statement, holds no credit, or none that could be read, is refused and nothing is stored.
 */
export async function importStatement(
  db: Db,
  actor: AuditActor,
  upload: StatementUpload,
  now = new Date(),
): Promise<ImportResult> {
  if (upload.bytes.byteLength > MAX_STATEMENT_BYTES) return { ok: false, reason: "too_large" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(upload.bytes);
  } catch {
    // French banks still export CSV in Windows-1252: read as such rather than refused.
    text = new TextDecoder("windows-1252").decode(upload.bytes);
  }
  if (text.includes("\u0000")) return { ok: false, reason: "not_text" };
  const parsed = parseStatement(text);
  if (!parsed.ok) return { ok: false, reason: parsed.reason, detail: parsed.detail };
  if (parsed.lines.length === 0) {
    return parsed.skipped.length > 0
      ? { ok: false, reason: "no_line_read", skipped: parsed.skipped }
      : { ok: false, reason: "no_credit" };
  }
  const stored = [...parsed.lines, ...parsed.skipped.map((skipped) => ({ skipped }))];
  const row = await db.statementImport.create({
    data: {
      fileName: upload.fileName.slice(0, 255) || "statement",
      format: parsed.format,
      lines: stored as unknown as Prisma.InputJsonValue,
      uploadedBy: actor.email,
      uploadedAt: now,
    },
  });
  return { ok: true, importId: row.id, lines: parsed.lines.length, skipped: parsed.skipped.length };
}

/** An order a statement line quotes, as the review shows it. */
export type QuotedOrder = {
  id: string;
  reference: string;
  editionId: string;
  editionSlug: string;
  editionName: { nameFr: string; nameEn: string };
  status: OrderStatus;
  paymentMethod: "CARD" | "TRANSFER";
  amountCents: number;
  currency: string;
};

/**
 * What one line is, in the order the review shows them. `recorded`: this line already confirmed an order (by
 * this import or an earlier one). `already_paid`: it pays an order paid meanwhile (by card or another transfer):
 * the money is to be sent back; `not_awaiting` likewise for an order cancelled or never to be paid by transfer.
 * The others are matchStatement's (statement-matching.ts).
 */
export type LineReview = { line: StatementLine; order: QuotedOrder | null } & (
  | { outcome: "matched" | "duplicate" | "wrong_currency" | "unknown" | "already_paid" | "not_awaiting" }
  | { outcome: "overpaid"; extraCents: number }
  | { outcome: "partial"; missingCents: number }
  | { outcome: "recorded"; recordedBy: string; recordedAt: Date }
);

export type ImportReview = {
  id: string;
  fileName: string;
  format: string;
  uploadedBy: string;
  uploadedAt: Date;
  confirmedAt: Date | null;
  lines: LineReview[];
  /** The statement's lines that could not be read: never confirmed, listed for the organiser to check. */
  skipped: SkippedLine[];
  /** Lines a confirmation would record: matched, and overpaid (the difference refunded by the organiser). */
  confirmable: number;
};

const ORDER_REFERENCE = /[0-9A-Z]{4}-[0-9A-Z]{4}/;

/**
 * The order references a line's texts may quote, to look up: each creditor reference with valid check digits,
 * and each printed reference. Only candidates: quotesOrder decides, as the matching does.
 */
function candidateReferences(line: StatementLine): string[] {
  const found = new Set<string>();
  for (const text of [...line.references, line.text]) {
    const compact = text.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
    for (const match of compact.matchAll(/(?=(RF\d{2}([0-9A-Z]{8})))/g)) {
      const reference = `${match[2].slice(0, 4)}-${match[2].slice(4)}`;
      if (transferReferenceFor(reference) === match[1]) found.add(reference);
    }
    for (const match of text.toUpperCase().matchAll(new RegExp(`(?=(${ORDER_REFERENCE.source}))`, "g"))) {
      found.add(match[1]);
    }
  }
  return [...found];
}

const isAwaited = (order: QuotedOrder) =>
  order.paymentMethod === "TRANSFER" && (order.status === "PENDING" || order.status === "EXPIRED");

/**
 * Each line of an import with what it would do now: matched against the orders awaiting a transfer (pending,
 * or past their deadline and confirmed only if their seats are still free), with the orders it quotes that are
 * not awaited any more told apart from unknown lines. Null for an unknown import.
 */
export async function reviewImport(db: Db, importId: string): Promise<ImportReview | null> {
  const row = await db.statementImport.findUnique({ where: { id: importId } });
  if (!row) return null;
  const { lines, skipped } = storedLines(row.lines);
  const references = [...new Set(lines.flatMap(candidateReferences))];
  const [orders, payments] = await Promise.all([
    db.order.findMany({
      where: { reference: { in: references } },
      select: {
        id: true,
        reference: true,
        editionId: true,
        status: true,
        paymentMethod: true,
        amountCents: true,
        currency: true,
        edition: { select: { slug: true, nameFr: true, nameEn: true } },
      },
    }),
    db.transferPayment.findMany({
      where: { statementLineId: { in: lines.map((line) => line.id) } },
      select: { statementLineId: true, recordedBy: true, createdAt: true, order: { select: { id: true } } },
    }),
  ]);
  const quoted: QuotedOrder[] = orders.map(({ edition, ...order }) => ({
    ...order,
    editionSlug: edition.slug,
    editionName: { nameFr: edition.nameFr, nameEn: edition.nameEn },
  }));
  const byId = new Map(quoted.map((order) => [order.id, order]));
  const recorded = new Map(payments.map((payment) => [payment.statementLineId, payment]));
  const open = lines.filter((line) => !recorded.has(line.id));
  const awaited: AwaitedTransfer[] = quoted.filter(isAwaited).map((order) => ({
    orderId: order.id,
    reference: order.reference,
    amountDueCents: order.amountCents,
    currency: order.currency,
  }));
  const matches = new Map(matchStatement(open, awaited).map((match) => [match.line.id, match]));

  const reviewed = lines.map((line): LineReview => {
    const payment = recorded.get(line.id);
    if (payment) {
      const order = byId.get(payment.order.id) ?? null;
      return { line, order, outcome: "recorded", recordedBy: payment.recordedBy, recordedAt: payment.createdAt };
    }
    const match = matches.get(line.id);
    if (match && match.outcome !== "unknown") {
      const order = byId.get(match.orderId) ?? null;
      if (match.outcome === "overpaid") return { line, order, outcome: "overpaid", extraCents: match.extraCents };
      if (match.outcome === "partial") return { line, order, outcome: "partial", missingCents: match.missingCents };
      return { line, order, outcome: match.outcome };
    }
    const other = quoted.find((order) => quotesOrder([...line.references, line.text], order.reference));
    if (!other) return { line, order: null, outcome: "unknown" };
    return { line, order: other, outcome: other.status === "CONFIRMED" ? "already_paid" : "not_awaiting" };
  });
  const { lines: _lines, ...rest } = row;
  return {
    ...rest,
    lines: reviewed,
    skipped,
    confirmable: reviewed.filter((line) => line.outcome === "matched" || line.outcome === "overpaid").length,
  };
}

export type LineConfirmation = { lineId: string; reference: string; editionSlug: string; result: TransferOutcome };

/**
 * "Confirm the matched orders": each matched (or overpaid) line confirms its order as a transfer received on its
 * booking date, recorded under the line's id (so a line confirms once, however often the statement is imported
 * or confirmed), each in its own transaction with its audit entry. The import is marked confirmed.
 */
export async function confirmImport(
  db: Db,
  actor: AuditActor,
  importId: string,
  now = new Date(),
): Promise<{ ok: true; results: LineConfirmation[] } | { ok: false; reason: "not_found" }> {
  const review = await reviewImport(db, importId);
  if (!review) return { ok: false, reason: "not_found" };
  const results: LineConfirmation[] = [];
  for (const reviewed of review.lines) {
    if ((reviewed.outcome !== "matched" && reviewed.outcome !== "overpaid") || !reviewed.order) continue;
    const { line, order } = reviewed;
    const receivedOn = new Date(`${line.bookedOn}T00:00:00Z`);
    const result = await confirmTransfer(
      db,
      {
        orderId: order.id,
        amountCents: line.amountCents,
        currency: line.currency,
        receivedOn,
        statementLineId: line.id,
        recordedBy: actor.email,
        acceptOverpayment: reviewed.outcome === "overpaid",
      },
      now,
      (tx) =>
        recordAudit(tx, actor, {
          editionId: order.editionId,
          action: "transfer.received",
          subjectType: "order",
          subjectId: order.id,
          after: {
            reference: order.reference,
            amountCents: line.amountCents,
            receivedOn: line.bookedOn,
            statementLineId: line.id,
            statementImportId: importId,
          },
        }),
    );
    results.push({ lineId: line.id, reference: order.reference, editionSlug: order.editionSlug, result });
  }
  await db.statementImport.update({ where: { id: importId }, data: { confirmedAt: now } });
  return { ok: true, results };
}

export type AwaitingTransfer = {
  id: string;
  reference: string;
  buyer: string;
  organisation: string | null;
  amountCents: number;
  currency: string;
  deadline: Date;
  remindersSent: number;
  edition: { slug: string; nameFr: string; nameEn: string; timeZone: string };
};

/**
 * Orders of every edition whose transfer is awaited (still holding their seats), the soonest deadline first, a
 * page at a time: `after` is the last order of the previous page. One more than asked tells there is a next page.
 */
export async function awaitingTransfers(
  db: Db,
  { take, after }: { take: number; after?: string | null },
  now = new Date(),
): Promise<{ orders: AwaitingTransfer[]; next: string | null }> {
  const rows = await db.order.findMany({
    where: { paymentMethod: "TRANSFER", status: "PENDING", holdExpiresAt: { gt: now } },
    orderBy: [{ holdExpiresAt: "asc" }, { id: "asc" }],
    take: take + 1,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    select: {
      id: true,
      reference: true,
      buyerFirstName: true,
      buyerLastName: true,
      buyerCompany: true,
      amountCents: true,
      currency: true,
      holdExpiresAt: true,
      transferRemindersSent: true,
      billing: { select: { organisation: true } },
      edition: { select: { slug: true, nameFr: true, nameEn: true, timeZone: true } },
    },
  });
  const orders = rows.slice(0, take).map((row) => ({
    id: row.id,
    reference: row.reference,
    buyer: `${row.buyerFirstName} ${row.buyerLastName}`,
    organisation: row.billing?.organisation ?? row.buyerCompany,
    amountCents: row.amountCents,
    currency: row.currency,
    deadline: row.holdExpiresAt as Date,
    remindersSent: row.transferRemindersSent,
    edition: row.edition,
  }));
  return { orders, next: rows.length > take ? orders[orders.length - 1].id : null };
}

export type RecentImport = {
  id: string;
  fileName: string;
  uploadedBy: string;
  uploadedAt: Date;
  confirmedAt: Date | null;
  /** The credits read (the lines skipped not counted). */
  lines: number;
  /** Not confirmed, and none of its lines would confirm anything now (a statement imported again, say). */
  nothingToConfirm: boolean;
};

/**
 * The latest imports, newest first, with their number of credits (counted in Postgres, never read out). Whether
 * one not confirmed yet has anything to confirm is its review's answer, as its page shows it.
 */
export async function recentImports(db: Db, take: number): Promise<RecentImport[]> {
  const rows = await db.$queryRaw<Omit<RecentImport, "nothingToConfirm">[]>`
    SELECT id, "fileName", "uploadedBy", "uploadedAt", "confirmedAt",
           (SELECT count(*) FROM jsonb_array_elements(lines) AS line WHERE line->'skipped' IS NULL)::int AS lines
      FROM "StatementImport" ORDER BY "uploadedAt" DESC, id LIMIT ${take}`;
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      nothingToConfirm: row.confirmedAt === null && (await reviewImport(db, row.id))?.confirmable === 0,
    })),
  );
}
