import { z } from "zod";
import { changedFields, recordAudit, type AuditActor, type LinkHolder } from "@/lib/audit/record";
import { lockEdition } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { invalidateEdition } from "@/lib/editions/edition-cache";
import { auditEditionChange } from "@/lib/editions/manage";
import { fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { anonymise } from "./anonymise";

/** The retention sweep in the audit log: no person acted. */
const RETENTION: LinkHolder = { id: null, email: "retention" };

export type RetentionRun = { editions: string[]; rateLimits: number } | { busy: true };

/**
 * The retention sweep (every 6 hours, on any instance): each edition whose end lies `retentionMonths` months in the
 * past is anonymised (lib/privacy/anonymise.ts, named tickets only; invoices and invoiced billing kept) and marked
 * `anonymisedAt`, one transaction per edition; rate-limit rows whose window began over a day ago go. One instance at
 * a time (an advisory lock; another finds it busy); the edition's row is re-read under its lock, so a run that
 * overlaps one finishing never anonymises twice.
 */
export async function applyRetention(db: Db, now: Date): Promise<RetentionRun> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM "Edition"
     WHERE "anonymisedAt" IS NULL AND "endsAt" + make_interval(months => "retentionMonths") <= ${now}
     ORDER BY "endsAt"`;
  const editions: string[] = [];
  for (const { id } of due) {
    const outcome = await db.$transaction(async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext('guichet:retention')) AS locked`;
      if (!locked) return "busy" as const;
      const [edition] = await tx.$queryRaw<{ slug: string }[]>`
        SELECT slug FROM "Edition" WHERE id = ${id}::uuid AND "anonymisedAt" IS NULL FOR UPDATE`;
      if (!edition) return "done_elsewhere" as const;
      const counts = await anonymise(tx, { editionId: id }, now);
      await tx.edition.update({ where: { id }, data: { anonymisedAt: now } });
      await recordAudit(tx, RETENTION, {
        editionId: id,
        action: "privacy.retention_applied",
        subjectType: "edition",
        subjectId: id,
        after: { edition: edition.slug, ...counts },
      });
      return "anonymised" as const;
    });
    if (outcome === "busy") return { busy: true };
    if (outcome === "anonymised") editions.push(id);
  }
  // The longest window any limit counts is a day: an older row counts nothing (network address hashes among them).
  const rateLimits = await db.$executeRaw`
    DELETE FROM "RateLimit" WHERE "windowStart" < ${now}::timestamptz - interval '1 day'`;
  return { editions, rateLimits };
}

/** The settings page's retention: whole months, 1 to 120 (the database's CHECK says the same). */
export const retentionSettingSchema = z.object({
  retentionMonths: z
    .string({ error: "retention_months_range" })
    .trim()
    .regex(/^\d{1,3}$/, { error: "retention_months_range" })
    .transform(Number)
    .refine((months) => months >= 1 && months <= 120, { error: "retention_months_range" }),
});

export type RetentionChange =
  { ok: true } | { ok: false; reason: "invalid"; fieldErrors: FieldErrors } | { ok: false; reason: "not_found" };

/** Saves an edition's retention alone, audited as `edition.updated` (a save that changes nothing writes no entry). */
export async function updateRetentionMonths(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
): Promise<RetentionChange> {
  const parsed = retentionSettingSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const change = await db.$transaction(async (tx): Promise<RetentionChange> => {
    // The edition lock before the edition's row, as every edit of it takes them.
    await lockEdition(tx, editionId);
    const before = await tx.edition.findUnique({ where: { id: editionId }, select: { retentionMonths: true } });
    if (!before) return { ok: false, reason: "not_found" };
    const after = await tx.edition.update({
      where: { id: editionId },
      data: parsed.data,
      select: { retentionMonths: true },
    });
    await auditEditionChange(tx, actor, editionId, changedFields(before, after));
    return { ok: true };
  });
  invalidateEdition(editionId);
  return change;
}
