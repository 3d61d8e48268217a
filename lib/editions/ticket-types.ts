import { z } from "zod";
import { invalidateEdition } from "./edition-cache";
import type { Db } from "@/lib/db/prisma";
import type { TicketType } from "@/lib/generated/prisma/client";
import { getSeatUsage, lockEdition, seatsTaken } from "@/lib/capacity/seats";
import { changedFields, recordAudit, type AuditActor } from "@/lib/audit/record";
import { minimumChargeCents } from "@/lib/money/currencies";
import { VAT_RATES_BASIS_POINTS } from "@/lib/money/vat-rates";
import {
  amountInCents,
  checkbox,
  fieldErrorsOf,
  optionalLine,
  optionalLocalDateTime,
  optionalText,
  optionalWholeNumber,
  requiredLine,
  zonedTimes,
  type FieldErrors,
} from "@/lib/forms/fields";

const ticketTypeFormSchema = (timeZone: string, currency: string) =>
  z
    .object({
      code: z
        .string({ error: "required" })
        .trim()
        .toLowerCase()
        .min(1, { error: "required" })
        .max(64, { error: "too_long" })
        .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: "invalid_code" }),
      nameFr: requiredLine(200),
      nameEn: requiredLine(200),
      descriptionFr: optionalText(2000),
      descriptionEn: optionalText(2000),
      price: amountInCents,
      quota: optionalWholeNumber({ min: 0, max: 1_000_000 }),
      maxPerOrder: optionalWholeNumber({ min: 1, max: 100 }),
      salesStartAt: optionalLocalDateTime,
      salesEndAt: optionalLocalDateTime,
      active: checkbox,
      hidden: checkbox,
      position: optionalWholeNumber({ min: 0, max: 1000 }),
      // Absent (a form or caller without it): the type keeps its rate, or a new one takes the default 20 %.
      vatRate: z
        .enum(
          VAT_RATES_BASIS_POINTS.map((rate) => String(rate)),
          { error: "invalid_choice" },
        )
        .transform(Number)
        .optional(),
      vatExemption: optionalLine(300),
    })
    .transform((form, context) => {
      const { price, salesStartAt, salesEndAt, position, vatRate, vatExemption, ...rest } = form;
      const window = zonedTimes({ salesStartAt, salesEndAt }, timeZone, context);
      if (price > 0 && price < minimumChargeCents(currency)) {
        context.addIssue({ code: "custom", path: ["price"], message: "below_minimum_charge" });
      }
      if (window.salesStartAt && window.salesEndAt && window.salesEndAt <= window.salesStartAt) {
        context.addIssue({ code: "custom", path: ["salesEndAt"], message: "ends_before_start" });
      }
      if (vatRate === 0 && !vatExemption) {
        context.addIssue({ code: "custom", path: ["vatExemption"], message: "exemption_required" });
      }
      // The legal mention is printed only at 0 %: at another rate there is nothing to keep.
      const vat =
        vatRate === undefined ? {} : { vatRateBasisPoints: vatRate, vatExemption: vatRate === 0 ? vatExemption : null };
      return { ...rest, ...window, ...vat, priceCents: price, position: position ?? 0 };
    });

export type TicketTypeChange =
  | { ok: true; ticketType: TicketType }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "code_taken" | "in_use" }
  | { ok: false; reason: "quota_below_taken"; taken: number };

// What the audit log records of a ticket type, before and after a change.
export const AUDITED_TICKET_TYPE_FIELDS = [
  "code",
  "nameFr",
  "nameEn",
  "descriptionFr",
  "descriptionEn",
  "priceCents",
  "quota",
  "maxPerOrder",
  "salesStartAt",
  "salesEndAt",
  "active",
  "position",
  "vatRateBasisPoints",
  "vatExemption",
  "hidden",
] as const satisfies readonly (keyof TicketType)[];

const snapshot = (type: TicketType) =>
  Object.fromEntries(AUDITED_TICKET_TYPE_FIELDS.map((field) => [field, type[field]])) as Pick<
    TicketType,
    (typeof AUDITED_TICKET_TYPE_FIELDS)[number]
  >;

/**
 * Creates a ticket type, or saves one (`ticketTypeId`). A quota may not go below the seats the
 * type already has, checked under the edition lock that registrations take. Prices already paid
 * stay as they were: each ticket keeps its own price.
 */
export async function saveTicketType(
  db: Db,
  actor: AuditActor,
  editionId: string,
  ticketTypeId: string | null,
  input: unknown,
  now = new Date(),
): Promise<TicketTypeChange> {
  const edition = await db.edition.findUnique({ where: { id: editionId }, select: { timeZone: true, currency: true } });
  if (!edition) return { ok: false, reason: "not_found" };
  const parsed = ticketTypeFormSchema(edition.timeZone, edition.currency).safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const change = await db.$transaction(async (tx): Promise<TicketTypeChange> => {
      if (!ticketTypeId) {
        const ticketType = await tx.ticketType.create({ data: { ...parsed.data, editionId } });
        await recordAudit(tx, actor, {
          editionId,
          action: "ticket_type.created",
          subjectType: "ticket_type",
          subjectId: ticketType.id,
          after: snapshot(ticketType),
        });
        return { ok: true, ticketType };
      }
      const before = await tx.ticketType.findFirst({ where: { id: ticketTypeId, editionId } });
      if (!before) return { ok: false, reason: "not_found" };
      await lockEdition(tx, editionId);
      const taken = seatsTaken((await getSeatUsage(tx, editionId, now)).byTicketType.get(ticketTypeId));
      if (parsed.data.quota !== null && parsed.data.quota < taken)
        return { ok: false, reason: "quota_below_taken", taken };
      const ticketType = await tx.ticketType.update({ where: { id: ticketTypeId }, data: parsed.data });
      const diff = changedFields(snapshot(before), snapshot(ticketType));
      if (Object.keys(diff.after).length > 0)
        await recordAudit(tx, actor, {
          editionId,
          action: "ticket_type.updated",
          subjectType: "ticket_type",
          subjectId: ticketTypeId,
          ...diff,
        });
      return { ok: true, ticketType };
    });
    invalidateEdition(editionId);
    return change;
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return { ok: false, reason: "code_taken" };
    throw error;
  }
}

/**
 * Deletes a ticket type nobody holds and no voucher or reserved block names (their foreign keys would refuse it);
 * one in use can only be deactivated. The type's row is
 * locked first: a registration in flight has already inserted its ticket (its foreign key holds
 * the type's row), so the delete waits for it to end and then counts it, and one that comes later
 * waits for the delete and finds the type gone. The edition lock after it orders the count with
 * claims, as for every other edit; taken in the other order it could deadlock with a registration.
 */
export async function deleteTicketType(
  db: Db,
  actor: AuditActor,
  editionId: string,
  ticketTypeId: string,
): Promise<TicketTypeChange> {
  const change = await db.$transaction(async (tx): Promise<TicketTypeChange> => {
    await tx.$queryRaw`
      SELECT 1 FROM "TicketType" WHERE id = ${ticketTypeId}::uuid AND "editionId" = ${editionId}::uuid FOR UPDATE`;
    await lockEdition(tx, editionId);
    const ticketType = await tx.ticketType.findFirst({
      where: { id: ticketTypeId, editionId },
      include: { _count: { select: { tickets: true, vouchers: true, allocations: true } } },
    });
    if (!ticketType) return { ok: false, reason: "not_found" };
    const { tickets, vouchers, allocations } = ticketType._count;
    if (tickets + vouchers + allocations > 0) return { ok: false, reason: "in_use" };
    await tx.ticketType.delete({ where: { id: ticketTypeId } });
    await recordAudit(tx, actor, {
      editionId,
      action: "ticket_type.deleted",
      subjectType: "ticket_type",
      subjectId: ticketTypeId,
      before: snapshot(ticketType),
    });
    return { ok: true, ticketType };
  });
  invalidateEdition(editionId);
  return change;
}
