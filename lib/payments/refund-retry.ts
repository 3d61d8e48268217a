import type Stripe from "stripe";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { bookedDayRefusal, dayField } from "./transfer-desk";
import { REFUND_NEEDS_ATTENTION, REFUND_TO_RETRY, retryRefund, type RefundSource } from "./refunds";

export type RefundRetry = { ok: true } | { ok: false; reason: "not_found" | "failed" };

type RetryTarget = { ticketId: string } | { orphanPaymentId: string };

/**
 * The back office's "retry the refund" on an attendee's order, or on a payment we could not keep:
 * scoped to the edition the organiser is working on, audited, then sent like any other retry.
 */
export async function retryEditionRefund(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  editionId: string,
  target: RetryTarget,
): Promise<RefundRetry> {
  const found = await findRefundToRetry(db, editionId, target);
  if (!found) return { ok: false, reason: "not_found" };
  const change = {
    editionId,
    action: "refund.retried",
    subjectType: "order" as const,
    subjectId: found.orderId,
    after: { [found.source]: found.id },
  };
  await db.$transaction((tx) => recordAudit(tx, actor, change));
  const sent = (await retryRefund(db, stripe, found.source, found.id)) === "sent";
  return sent ? { ok: true } : { ok: false, reason: "failed" };
}

type FoundRefund = { source: RefundSource; id: string; orderId: string | null };

async function findRefundToRetry(db: Db, editionId: string, target: RetryTarget): Promise<FoundRefund | null> {
  const select = { id: true, orderId: true };
  if ("ticketId" in target) {
    const order = { editionId, tickets: { some: { id: target.ticketId } } };
    const refund = await db.refund.findFirst({ where: { order, ...REFUND_TO_RETRY }, select });
    return refund && { source: "refund", ...refund };
  }
  const where = { id: target.orphanPaymentId, order: { editionId }, ...REFUND_NEEDS_ATTENTION };
  const orphan = await db.orphanPayment.findFirst({ where, select });
  return orphan && { source: "orphan", ...orphan };
}

const sentSchema = z.object({ refundId: z.uuid(), sentOn: dayField });

export type TransferRefundSent =
  { ok: true } | { ok: false; reason: "not_found" } | { ok: false; reason: "invalid"; fieldErrors: FieldErrors };

/**
 * The organiser sent a refund of an order paid by bank transfer from their own bank account (Guichet cannot), on
 * the day they say (`sentOn`, YYYY-MM-DD, not after today in the edition's zone): it is marked done on that day,
 * with who said so, and audited as of now. Only a refund still to send, of an order of this edition; a second
 * click finds it done already and changes nothing.
 */
export async function markTransferRefundSent(
  db: Db,
  actor: AuditActor,
  edition: { id: string; timeZone: string },
  input: unknown,
  now = new Date(),
): Promise<TransferRefundSent> {
  const parsed = sentSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return fieldErrors.refundId ? { ok: false, reason: "not_found" } : { ok: false, reason: "invalid", fieldErrors };
  }
  const { refundId, sentOn } = parsed.data;
  const refusal = bookedDayRefusal(sentOn, edition.timeZone, now);
  if (refusal) return { ok: false, reason: "invalid", fieldErrors: { sentOn: [refusal] } };
  const editionId = edition.id;
  return db.$transaction(async (tx): Promise<TransferRefundSent> => {
    const marked = await tx.refund.updateManyAndReturn({
      where: { id: refundId, method: "TRANSFER", status: "PENDING", order: { editionId } },
      // A bank's day, as TransferPayment.receivedOn keeps one: midnight UTC of that date.
      data: { status: "SUCCEEDED", settledAt: new Date(`${sentOn}T00:00:00Z`), sentBy: actor.email },
      select: { orderId: true, amountCents: true, currency: true },
    });
    if (marked.length === 0) return { ok: false, reason: "not_found" };
    const [{ orderId, amountCents, currency }] = marked;
    await recordAudit(tx, actor, {
      editionId,
      action: "refund.transfer_sent",
      subjectType: "order",
      subjectId: orderId,
      after: { refund: refundId, amountCents, currency, sentOn },
    });
    return { ok: true };
  });
}

/**
 * Who paid each transfer, as the imported statement line named them, by the lines' ids (TransferPayment's
 * statementLineId): read from the imports' own copy of their lines, so nothing is stored twice.
 */
export async function statementPayers(db: Db, lineIds: string[]): Promise<Map<string, string>> {
  if (lineIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: string; payer: string }[]>`
    SELECT DISTINCT ON (line->>'id') line->>'id' AS id, line->>'payer' AS payer
    FROM "StatementImport", jsonb_array_elements(lines) AS line
    WHERE line->>'id' = ANY(${lineIds}::text[]) AND coalesce(line->>'payer', '') <> ''
    ORDER BY line->>'id', "uploadedAt" DESC`;
  return new Map(rows.map((row) => [row.id, row.payer]));
}
