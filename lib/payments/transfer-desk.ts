import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { amountInCents, fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { endOfDay, utcToZonedLocal, zonedLocalToUtc } from "@/lib/time/zoned";
import { confirmTransfer, moveTransferDeadline, type DeadlineChange, type TransferOutcome } from "./transfer";

// The organiser's side of a transfer order, from its back-office page: a transfer seen on the bank account, and
// more time to pay.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A date field's value, YYYY-MM-DD. */
export const dayField = z
  .string({ error: "required" })
  .trim()
  .min(1, { error: "required" })
  .regex(DAY, { error: "invalid_day" });

const markSchema = z.object({ orderId: z.uuid(), amount: amountInCents, receivedOn: dayField });
const extendSchema = z.object({ orderId: z.uuid(), deadline: dayField });

type Invalid = { ok: false; reason: "invalid"; fieldErrors: FieldErrors };

/** A day typed in a date field, in the edition's zone; null when the calendar has no such day. */
function typedDay(value: string, timeZone: string): Date | null {
  const noon = zonedLocalToUtc(`${value}T12:00`, timeZone);
  return noon && utcToZonedLocal(noon, timeZone).startsWith(value) ? noon : null;
}

/** Why a day a bank booked, as typed, cannot be: not on the calendar, or not yet come in the edition's zone. */
export function bookedDayRefusal(value: string, timeZone: string, now: Date): "invalid_day" | "day_in_future" | null {
  if (!typedDay(value, timeZone)) return "invalid_day";
  return value > utcToZonedLocal(now, timeZone).slice(0, 10) ? "day_in_future" : null;
}

/** "Mark as paid by transfer": the amount and the day the organiser read on their account. */
export async function markTransferReceived(
  db: Db,
  actor: AuditActor,
  edition: { id: string; timeZone: string },
  input: unknown,
  now = new Date(),
): Promise<TransferOutcome | Invalid> {
  const parsed = markSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { orderId, amount, receivedOn } = parsed.data;
  const refusal = bookedDayRefusal(receivedOn, edition.timeZone, now);
  if (refusal) return { ok: false, reason: "invalid", fieldErrors: { receivedOn: [refusal] } };
  const order = await db.order.findFirst({
    where: { id: orderId, editionId: edition.id },
    select: { currency: true, reference: true, createdAt: true },
  });
  if (!order) return { ok: false, reason: "unknown_order" };
  // The invoice prints this day and is never changed: a typo that dates the payment before the order is caught here.
  if (receivedOn < utcToZonedLocal(order.createdAt, edition.timeZone).slice(0, 10)) {
    return { ok: false, reason: "invalid", fieldErrors: { receivedOn: ["day_before_order"] } };
  }
  return confirmTransfer(
    db,
    {
      orderId,
      amountCents: amount,
      currency: order.currency,
      receivedOn: new Date(`${receivedOn}T00:00:00Z`),
      recordedBy: actor.email,
    },
    now,
    (tx) =>
      recordAudit(tx, actor, {
        editionId: edition.id,
        action: "transfer.received",
        subjectType: "order",
        subjectId: orderId,
        after: { reference: order.reference, amountCents: amount, receivedOn },
      }),
  );
}

/** "Extend the deadline": to the end of the day typed, in the edition's zone. */
export async function extendDeadlineTo(
  db: Db,
  actor: AuditActor,
  edition: { id: string; timeZone: string },
  input: unknown,
  now = new Date(),
): Promise<DeadlineChange | Invalid> {
  const parsed = extendSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { orderId, deadline: typed } = parsed.data;
  const noon = typedDay(typed, edition.timeZone);
  if (!noon) return { ok: false, reason: "invalid", fieldErrors: { deadline: ["invalid_day"] } };
  const order = await db.order.findFirst({
    where: { id: orderId, editionId: edition.id },
    select: { reference: true },
  });
  if (!order) return { ok: false, reason: "unknown_order" };
  return moveTransferDeadline(
    db,
    { orderId, deadline: endOfDay(noon, edition.timeZone) },
    (tx, change) =>
      recordAudit(tx, actor, {
        editionId: edition.id,
        action: "transfer.deadline_extended",
        subjectType: "order",
        subjectId: orderId,
        before: { deadline: change.before },
        after: { reference: order.reference, deadline: change.after },
      }),
    now,
  );
}
