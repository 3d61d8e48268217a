import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import type { Prisma, Voucher } from "@/lib/generated/prisma/client";
import { recordAudit, changedFields, type AuditActor } from "@/lib/audit/record";
import {
  amountInCents,
  checkbox,
  fieldErrorsOf,
  optionalLine,
  optionalLocalDateTime,
  optionalText,
  optionalWholeNumber,
  wholeNumber,
  zonedTimes,
  type FieldErrors,
} from "@/lib/forms/fields";
import { minimumChargeCents } from "@/lib/money/currencies";
import { generateUniqueCodes, MAX_BATCH, MAX_CODE, MAX_CODE_KEY, MIN_CODE_KEY, normaliseCode } from "./codes";

export const VOUCHER_EFFECTS = ["PERCENT_OFF", "AMOUNT_OFF", "FIXED_PRICE", "FREE"] as const;
const MAX_USES = 100_000;
const MAX_PREFIX_KEY = 12;

// A code as typed: normalised, then checked for its length with and without hyphens (what the table allows).
const typedCode = (maxKey: number) =>
  z.string({ error: "invalid_voucher_code" }).transform((typed, context) => {
    const code = normaliseCode(typed);
    const length = code?.replaceAll("-", "").length ?? 0;
    if (code === null || length < MIN_CODE_KEY || length > maxKey || code.length > MAX_CODE) {
      context.addIssue({ code: "custom", message: code === null ? "invalid_voucher_code" : "voucher_code_length" });
      return z.NEVER;
    }
    return code;
  });

const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && !value.trim());

// Form fields sent empty or not at all mean "none"; the ticket types come as one value or several (FormData.getAll).
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (blank(value) ? undefined : value), schema);
const ticketTypeIds = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.uuid({ error: "unknown_ticket_type" }), { error: "unknown_ticket_type" })
    .max(100, { error: "too_long" })
    .transform((ids) => [...new Set(ids)]),
);

/** The rules every voucher has, created or edited: what it does, to which types, how often, when. */
const rulesShape = {
  effect: z.enum(VOUCHER_EFFECTS, { error: "invalid_choice" }),
  percentOff: optional(z.string({ error: "invalid_type" }).trim().optional()),
  amount: optional(z.string({ error: "invalid_type" }).trim().optional()),
  ticketTypeIds,
  maxUses: wholeNumber({ min: 1, max: MAX_USES }),
  maxUsesPerOrder: optionalWholeNumber({ min: 1, max: 100 }),
  validFrom: optionalLocalDateTime,
  validUntil: optionalLocalDateTime,
  tag: optionalLine(100),
  note: optionalText(2000),
  active: checkbox,
  // A block of the edition (SeatAllocation): the code's tickets take its seats while it holds them.
  allocationId: optional(z.uuid({ error: "unknown_allocation" }).optional()).transform((id) => id ?? null),
};

type RulesInput = z.output<z.ZodObject<typeof rulesShape>>;
type EditionSettings = { timeZone: string; currency: string };

// The effect's value is read by the effect's own rule: a percentage field left filled in while the organiser
// switched to FREE is ignored, not an error.
function rulesOf(form: RulesInput, edition: EditionSettings, context: z.RefinementCtx) {
  const { timeZone, currency } = edition;
  const { effect, percentOff, amount, validFrom, validUntil, ...rest } = form;
  const window = zonedTimes({ validFrom, validUntil }, timeZone, context);
  if (window.validFrom && window.validUntil && window.validUntil <= window.validFrom) {
    context.addIssue({ code: "custom", path: ["validUntil"], message: "ends_before_start" });
  }
  if (rest.maxUsesPerOrder !== null && rest.maxUsesPerOrder > rest.maxUses) {
    context.addIssue({ code: "custom", path: ["maxUsesPerOrder"], message: "per_order_above_max_uses" });
  }
  let value: { percentOff: number | null; amountCents: number | null } = { percentOff: null, amountCents: null };
  if (effect === "PERCENT_OFF") {
    const parsed = wholeNumber({ min: 1, max: 100 }).safeParse(percentOff ?? "");
    if (parsed.success) value = { percentOff: parsed.data, amountCents: null };
    else context.addIssue({ code: "custom", path: ["percentOff"], message: percentOff ? "percent_range" : "required" });
  } else if (effect === "AMOUNT_OFF" || effect === "FIXED_PRICE") {
    const parsed = amountInCents.safeParse(amount ?? "");
    if (!parsed.success)
      context.addIssue({ code: "custom", path: ["amount"], message: amount ? "invalid_amount" : "required" });
    else if (effect === "AMOUNT_OFF" && parsed.data === 0) {
      context.addIssue({ code: "custom", path: ["amount"], message: "discount_zero" });
    } else if (effect === "FIXED_PRICE" && parsed.data > 0 && parsed.data < minimumChargeCents(currency)) {
      // Priced anyway at the minimum (lib/vouchers/pricing.ts): the organiser is told rather than surprised.
      context.addIssue({ code: "custom", path: ["amount"], message: "below_minimum_charge" });
    } else value = { percentOff: null, amountCents: parsed.data };
  }
  return { ...rest, ...window, effect, ...value };
}

/**
 * The organiser's form for new vouchers: one code typed (`code`, required without a `count`), or `count` codes
 * generated with an optional `prefix` (a sponsor's batch), all with the same rules. Times are wall-clock times in the
 * edition's zone, amounts in its currency.
 */
export const newVouchersSchema = (edition: EditionSettings) =>
  z
    .object({
      ...rulesShape,
      code: optional(typedCode(MAX_CODE_KEY).optional()),
      count: optionalWholeNumber({ min: 1, max: MAX_BATCH }),
      prefix: optional(typedCode(MAX_PREFIX_KEY).optional()),
    })
    .transform(({ code, count, prefix, ...form }, context) => {
      // Without a count this is the form for one typed code: an empty code is a mistake, not a wish for a random one.
      if (!code && count === null) context.addIssue({ code: "custom", path: ["code"], message: "required" });
      const codes: WantedCodes = code ? { typed: code } : { count: count ?? 1, prefix: prefix ?? null };
      return { ...rulesOf(form, edition, context), codes };
    });

type WantedCodes = { typed: string } | { count: number; prefix: string | null };

/** The organiser's form for one voucher's rules: its code stays what was handed out. */
export const voucherRulesSchema = (edition: EditionSettings) =>
  z.object(rulesShape).transform((form, context) => rulesOf(form, edition, context));

export type VoucherChange =
  | { ok: true; vouchers: Voucher[] }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" };

// What the audit log records of a voucher's rules, before and after a change.
const AUDITED_FIELDS = [
  "effect",
  "percentOff",
  "amountCents",
  "maxUses",
  "maxUsesPerOrder",
  "validFrom",
  "validUntil",
  "tag",
  "note",
  "active",
  "allocationId",
] as const satisfies readonly (keyof Voucher)[];

const snapshot = (voucher: Voucher, ticketTypeIds: string[]) => ({
  ...Object.fromEntries(AUDITED_FIELDS.map((field) => [field, voucher[field]])),
  ticketTypeIds: [...ticketTypeIds].sort(),
});

const invalid = (fieldErrors: FieldErrors): VoucherChange => ({ ok: false, reason: "invalid", fieldErrors });

// The types named must be the edition's own: an id from another edition is refused like an unknown one.
async function foreignTypes(tx: Prisma.TransactionClient, editionId: string, ids: string[]): Promise<boolean> {
  if (ids.length === 0) return false;
  const found = await tx.ticketType.count({ where: { editionId, id: { in: ids } } });
  return found !== new Set(ids).size;
}

async function foreignAllocation(tx: Prisma.TransactionClient, editionId: string, id: string | null) {
  return id !== null && (await tx.seatAllocation.count({ where: { id, editionId, kind: "BLOCK" } })) === 0;
}

// What is named in the form besides the voucher (its types, its block) must be the edition's.
async function foreignNames(
  tx: Prisma.TransactionClient,
  editionId: string,
  names: { ticketTypeIds: string[]; allocationId: string | null },
): Promise<FieldErrors | null> {
  if (await foreignTypes(tx, editionId, names.ticketTypeIds)) return { ticketTypeIds: ["unknown_ticket_type"] };
  if (await foreignAllocation(tx, editionId, names.allocationId)) return { allocationId: ["unknown_allocation"] };
  return null;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

/**
 * Creates one voucher with the code typed, or a batch of generated codes sharing one set of rules, with one audit
 * entry for the lot ("voucher.created" names the code, "voucher.generated" the batch's codes). A typed code the
 * edition already has is a field error; a generated batch that lost a race for a code is drawn again.
 */
export async function createVouchers(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
): Promise<VoucherChange> {
  const edition = await db.edition.findUnique({ where: { id: editionId }, select: { timeZone: true, currency: true } });
  if (!edition) return { ok: false, reason: "not_found" };
  const parsed = newVouchersSchema(edition).safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const { codes: wanted, ticketTypeIds: typeIds, ...rules } = parsed.data;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx): Promise<VoucherChange> => {
        const foreign = await foreignNames(tx, editionId, { ticketTypeIds: typeIds, allocationId: rules.allocationId });
        if (foreign) return invalid(foreign);
        const codes = "typed" in wanted ? [wanted.typed] : await generateUniqueCodes(tx, editionId, wanted);
        const vouchers = await tx.voucher.createManyAndReturn({
          data: codes.map((code) => ({ ...rules, editionId, code, codeKey: code.replaceAll("-", "") })),
        });
        await tx.voucherTicketType.createMany({
          data: vouchers.flatMap((voucher) => typeIds.map((ticketTypeId) => ({ voucherId: voucher.id, ticketTypeId }))),
        });
        const after = snapshot(vouchers[0], typeIds);
        await recordAudit(
          tx,
          actor,
          "typed" in wanted
            ? {
                editionId,
                action: "voucher.created",
                subjectType: "voucher",
                subjectId: vouchers[0].id,
                after: { code: codes[0], ...after },
              }
            : {
                editionId,
                action: "voucher.generated",
                subjectType: "voucher",
                subjectId: null,
                after: { codes, ...after },
              },
        );
        return { ok: true, vouchers };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if ("typed" in wanted) return invalid({ code: ["voucher_code_taken"] });
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Saves one voucher's rules (its code stays). The voucher's row is locked first: a placement counting a use waits
 * for the edit, then re-checks its increment against the new maximum, so the maximum never goes below the uses
 * counted (Voucher.used, live tickets priced with the code, held or confirmed).
 */
export async function updateVoucher(
  db: Db,
  actor: AuditActor,
  editionId: string,
  voucherId: string,
  input: unknown,
): Promise<VoucherChange> {
  const edition = await db.edition.findUnique({ where: { id: editionId }, select: { timeZone: true, currency: true } });
  if (!edition) return { ok: false, reason: "not_found" };
  const parsed = voucherRulesSchema(edition).safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const { ticketTypeIds: typeIds, ...rules } = parsed.data;
  return db.$transaction(async (tx): Promise<VoucherChange> => {
    const [locked] = await tx.$queryRaw<{ used: number }[]>`
      SELECT used FROM "Voucher" WHERE id = ${voucherId}::uuid AND "editionId" = ${editionId}::uuid FOR UPDATE`;
    if (!locked) return { ok: false, reason: "not_found" };
    if (rules.maxUses < locked.used) return invalid({ maxUses: ["max_uses_below_used"] });
    const foreign = await foreignNames(tx, editionId, { ticketTypeIds: typeIds, allocationId: rules.allocationId });
    if (foreign) return invalid(foreign);
    const before = await tx.voucher.findUniqueOrThrow({ where: { id: voucherId }, include: { ticketTypes: true } });
    const voucher = await tx.voucher.update({ where: { id: voucherId }, data: rules });
    await tx.voucherTicketType.deleteMany({ where: { voucherId, ticketTypeId: { notIn: typeIds } } });
    await tx.voucherTicketType.createMany({
      data: typeIds.map((ticketTypeId) => ({ voucherId, ticketTypeId })),
      skipDuplicates: true,
    });
    const diff = changedFields(
      snapshot(
        before,
        before.ticketTypes.map((link) => link.ticketTypeId),
      ),
      snapshot(voucher, typeIds),
    );
    if (Object.keys(diff.after).length > 0) {
      await recordAudit(tx, actor, {
        editionId,
        action: "voucher.updated",
        subjectType: "voucher",
        subjectId: voucherId,
        before: { code: voucher.code, ...diff.before },
        after: { code: voucher.code, ...diff.after },
      });
    }
    return { ok: true, vouchers: [voucher] };
  });
}

export type VoucherSwitch = { ok: true; voucher: Voucher } | { ok: false; reason: "not_found" };

/**
 * Deactivates a voucher (no new order may use it; orders placed with it stay as they are) or makes it usable again.
 * A used voucher is never deleted: this is how it is withdrawn. Setting it to what it already is records nothing.
 */
export async function setVoucherActive(
  db: Db,
  actor: AuditActor,
  editionId: string,
  voucherId: string,
  active: boolean,
): Promise<VoucherSwitch> {
  return db.$transaction(async (tx): Promise<VoucherSwitch> => {
    const before = await tx.voucher.findFirst({ where: { id: voucherId, editionId } });
    if (!before) return { ok: false, reason: "not_found" };
    if (before.active === active) return { ok: true, voucher: before };
    const voucher = await tx.voucher.update({ where: { id: voucherId }, data: { active } });
    await recordAudit(tx, actor, {
      editionId,
      action: active ? "voucher.reactivated" : "voucher.deactivated",
      subjectType: "voucher",
      subjectId: voucherId,
      before: { code: voucher.code, active: before.active },
      after: { code: voucher.code, active },
    });
    return { ok: true, voucher };
  });
}
