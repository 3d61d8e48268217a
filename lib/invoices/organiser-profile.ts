import { z } from "zod";
import { changedFields, recordAudit, type AuditActor } from "@/lib/audit/record";
import { can, type Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/prisma";
import type { OrganiserProfile } from "@/lib/generated/prisma/client";
import {
  checkbox,
  emailAddress,
  fieldErrorsOf,
  optionalLine,
  requiredLine,
  wholeNumber,
  type FieldErrors,
} from "@/lib/forms/fields";
import { checkBic, checkIban, checkSiren, checkSiret, checkVatNumber, type IdentifierCheck } from "./identifiers";

/** The one row's id: the installation has one organiser (a CHECK in the table keeps it so). */
export const ORGANISER_PROFILE_ID = 1;

export const DEFAULT_PAYMENT_TERM_DAYS = 30;
// Code de commerce, art. L441-10: no later than 60 days after the invoice's date.
export const MAX_PAYMENT_TERM_DAYS = 60;

const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

const issueOf = (kind: string, reason: Exclude<IdentifierCheck, { ok: true }>["reason"]) =>
  reason === "empty" ? "required" : `${kind}_${reason}`;

/** An identifier check as a zod field: the normalised value, or `<kind>_<reason>` as the field's error. */
function identifier(kind: string, check: (typed: string) => IdentifierCheck) {
  return z
    .string({ error: "invalid_type" })
    .optional()
    .transform((typed, context) => {
      const result = check(typed ?? "");
      if (result.ok) return result.value;
      context.addIssue({ code: "custom", message: issueOf(kind, result.reason) });
      return z.NEVER;
    });
}

/** The same, where empty means none (null). */
function optionalIdentifier(kind: string, check: (typed: string) => IdentifierCheck) {
  return z
    .string({ error: "invalid_type" })
    .optional()
    .transform((typed, context) => {
      const result = check(typed ?? "");
      if (result.ok) return result.value;
      if (result.reason === "empty") return null;
      context.addIssue({ code: "custom", message: issueOf(kind, result.reason) });
      return z.NEVER;
    });
}

// A percentage as typed ("10", "12,5") in basis points; empty: none.
const optionalPercent = z
  .string({ error: "invalid_type" })
  .trim()
  .regex(/^$|^\d{1,3}([.,]\d{1,2})?$/, { error: "invalid_rate" })
  .optional()
  .transform((value) => (value ? Math.round(Number(value.replace(",", ".")) * 100) : null))
  .refine((value) => value === null || (value > 0 && value <= 10_000), { error: "invalid_rate" });

// Share capital in currency units, as large as a company's can be ("1 000 000", "37 000,50"); empty: none.
const optionalCapital = z
  .string({ error: "invalid_type" })
  .transform((value) => value.replace(/[\s\u00a0\u202f]/g, ""))
  .pipe(z.string().regex(/^$|^\d{1,12}([.,]\d{1,2})?$/, { error: "invalid_amount" }))
  .optional()
  .transform((value) => {
    if (!value) return null;
    const [units, fraction = ""] = value.replace(",", ".").split(".");
    return BigInt(units) * 100n + BigInt(fraction.padEnd(2, "0"));
  });

const profileFormSchema = z
  .object({
    legalName: requiredLine(200),
    addressLine1: requiredLine(200),
    addressLine2: optionalLine(200),
    addressLine3: optionalLine(200),
    postcode: requiredLine(16),
    city: requiredLine(100),
    country: requiredLine(2)
      .toUpperCase()
      .refine((code) => /^[A-Z]{2}$/.test(code) && regions.of(code) !== undefined, { error: "invalid_country" }),
    legalForm: requiredLine(100),
    shareCapital: optionalCapital,
    siren: identifier("siren", checkSiren),
    siret: identifier("siret", checkSiret),
    rcs: optionalLine(100),
    vatNumber: optionalIdentifier("vat", checkVatNumber),
    vatFranchise: checkbox,
    iban: identifier("iban", checkIban),
    bic: identifier("bic", checkBic),
    email: emailAddress,
    paymentTermDays: wholeNumber({ min: 0, max: MAX_PAYMENT_TERM_DAYS }),
    latePenaltyRate: optionalPercent,
    invoicePrefix: requiredLine(10)
      .toUpperCase()
      .regex(/^[A-Z0-9]+$/, { error: "invalid_prefix" }),
  })
  .superRefine((form, context) => {
    const issue = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (!form.siret.startsWith(form.siren)) issue("siret", "siret_not_of_siren");
    if (form.vatFranchise && form.vatNumber) issue("vatNumber", "vat_number_with_franchise");
    if (!form.vatFranchise && !form.vatNumber) issue("vatNumber", "vat_number_or_franchise");
    if (form.vatNumber?.startsWith("FR") && !form.vatNumber.endsWith(form.siren))
      issue("vatNumber", "vat_not_of_siren");
  })
  .transform((form) => ({
    legalName: form.legalName,
    addressLines: [form.addressLine1, form.addressLine2, form.addressLine3].filter((line) => line !== null),
    postcode: form.postcode,
    city: form.city,
    country: form.country,
    legalForm: form.legalForm,
    shareCapitalCents: form.shareCapital,
    siren: form.siren,
    siret: form.siret,
    rcs: form.rcs,
    vatNumber: form.vatNumber,
    vatFranchise: form.vatFranchise,
    iban: form.iban,
    bic: form.bic,
    email: form.email,
    paymentTermDays: form.paymentTermDays,
    latePenaltyBasisPoints: form.latePenaltyRate,
    invoicePrefix: form.invoicePrefix,
  }));

// What the audit log records of the settings, before and after a change: every field the form edits.
export const AUDITED_PROFILE_FIELDS = [
  "legalName",
  "addressLines",
  "postcode",
  "city",
  "country",
  "legalForm",
  "shareCapitalCents",
  "siren",
  "siret",
  "rcs",
  "vatNumber",
  "vatFranchise",
  "iban",
  "bic",
  "email",
  "paymentTermDays",
  "latePenaltyBasisPoints",
  "invoicePrefix",
] as const satisfies readonly (keyof OrganiserProfile)[];

// Share capital is a bigint in the table (a company's can pass 2^31 cents); JSON wants a number, and every
// capital below 90 trillion euros is one exactly.
const snapshot = (profile: Pick<OrganiserProfile, (typeof AUDITED_PROFILE_FIELDS)[number]>) => ({
  ...Object.fromEntries(AUDITED_PROFILE_FIELDS.map((field) => [field, profile[field]])),
  shareCapitalCents: profile.shareCapitalCents === null ? null : Number(profile.shareCapitalCents),
});

export type ProfileChange =
  | { ok: true; profile: OrganiserProfile }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "forbidden" };

/**
 * Saves the installation's organiser settings, all fields at once, for an admin only (checked here too, not
 * only by the page's action: these settings are printed on every invoice). Bad input saves nothing. One audit
 * entry per save that changes something, with the fields changed before and after.
 */
export async function saveOrganiserProfile(
  db: Db,
  actor: AuditActor & { role: Role },
  input: unknown,
): Promise<ProfileChange> {
  if (!can(actor.role, "invoicing:manage")) return { ok: false, reason: "forbidden" };
  const parsed = profileFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  return db.$transaction(async (tx): Promise<ProfileChange> => {
    // The row lock orders two admins saving at once, so each audit entry's "before" is what it replaced.
    await tx.$queryRaw`SELECT 1 FROM "OrganiserProfile" WHERE id = ${ORGANISER_PROFILE_ID} FOR UPDATE`;
    const before = await tx.organiserProfile.findUnique({ where: { id: ORGANISER_PROFILE_ID } });
    const profile = await tx.organiserProfile.upsert({
      where: { id: ORGANISER_PROFILE_ID },
      create: { id: ORGANISER_PROFILE_ID, ...parsed.data },
      update: parsed.data,
    });
    const diff = before ? changedFields(snapshot(before), snapshot(profile)) : { after: snapshot(profile) };
    if (Object.keys(diff.after).length > 0)
      await recordAudit(tx, actor, {
        editionId: null,
        action: before ? "invoicing.settings_updated" : "invoicing.settings_created",
        subjectType: "organiser_profile",
        subjectId: String(ORGANISER_PROFILE_ID),
        ...diff,
      });
    return { ok: true, profile };
  });
}

/** The settings as saved, or null before an admin first fills them. */
export function loadOrganiserProfile(db: Pick<Db, "organiserProfile">): Promise<OrganiserProfile | null> {
  return db.organiserProfile.findUnique({ where: { id: ORGANISER_PROFILE_ID } });
}

/** The latest changes of the settings, newest first: who, when, and which fields. */
export async function organiserProfileHistory(db: Db, take = 10) {
  const entries = await db.auditEntry.findMany({
    where: { subjectType: "organiser_profile" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, createdAt: true, actorEmail: true, after: true },
  });
  // In the form's order: jsonb keeps keys in an order of its own.
  const fieldsOf = (after: unknown) => AUDITED_PROFILE_FIELDS.filter((field) => field in ((after ?? {}) as object));
  return entries.map(({ after, ...entry }) => ({ ...entry, fields: fieldsOf(after) }));
}
