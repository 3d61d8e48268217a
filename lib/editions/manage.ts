import { z } from "zod";
import { invalidateEdition } from "./edition-cache";
import type { Db } from "@/lib/db/prisma";
import type { Edition, Prisma } from "@/lib/generated/prisma/client";
import { getSeatUsage, lockEdition, seatsTaken } from "@/lib/capacity/seats";
import { changedFields, recordAudit, type AuditActor } from "@/lib/audit/record";
import {
  checkbox,
  fieldErrorsOf,
  localDateTime,
  optionalLocalDateTime,
  optionalText,
  optionalWholeNumber,
  requiredLine,
  wholeNumber,
  zonedTimes,
  type FieldErrors,
} from "@/lib/forms/fields";
import { isSupportedCurrency } from "@/lib/money/currencies";
import { isTimeZone, shiftWallClock, wallClockDistance, zonedLocalToUtc } from "@/lib/time/zoned";
import { configureQueue, type QueueSettings } from "./queue-settings";
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const slugField = z
  .string({ error: "required" })
  .trim()
  .toLowerCase()
  .min(3, { error: "too_short" })
  .max(80, { error: "too_long" })
  .regex(SLUG, { error: "invalid_slug" });

/**
 * Days before the start to remind buyers of unnamed tickets: 1 to 90, or empty for no reminder. A form
 * without the field leaves the setting as it is (the database's default for a new edition).
 */
const unnamedReminderDays = z
  .string({ error: "reminder_days_range" })
  .trim()
  .refine((days) => days === "" || (/^\d{1,2}$/.test(days) && Number(days) >= 1 && Number(days) <= 90), {
    error: "reminder_days_range",
  })
  .transform((days) => (days === "" ? null : Number(days)))
  .optional();

/**
 * Paying by bank transfer: days to pay (2 to 60: with less, transferDeadline offers no transfer) when it is on,
 * and how many days before the start (0 to 60) the last deadline falls. A form without the latter leaves the setting
 * as it is (a new edition takes card only).
 */
const transferDays = z
  .string({ error: "transfer_days_range" })
  .trim()
  .refine((days) => days === "" || (/^\d{1,2}$/.test(days) && Number(days) >= 2 && Number(days) <= 60), {
    error: "transfer_days_range",
  })
  .optional();
const transferClosesDaysBefore = z
  .string({ error: "transfer_closes_range" })
  .trim()
  .regex(/^\d{1,2}$/, { error: "transfer_closes_range" })
  .transform(Number)
  .refine((days) => days <= 60, { error: "transfer_closes_range" })
  .optional();

/**
 * Hours an offer of the waiting list stays open: 1 to 168 (a week). A form without it carries none of the list's
 * settings and leaves them as they are (a checkbox left out would read as "closed").
 */
const waitingListOfferHours = z
  .string({ error: "offer_hours_range" })
  .trim()
  .regex(/^\d{1,3}$/, { error: "offer_hours_range" })
  .transform(Number)
  .refine((hours) => hours >= 1 && hours <= 168, { error: "offer_hours_range" })
  .optional();

/** An edition as typed in the back office: times are wall-clock in the edition's zone. */
export const editionFormSchema = z
  .object({
    slug: slugField,
    nameFr: requiredLine(200),
    nameEn: requiredLine(200),
    descriptionFr: optionalText(5000),
    descriptionEn: optionalText(5000),
    venueName: requiredLine(200),
    venueAddress: requiredLine(400),
    timeZone: z.string({ error: "required" }).trim().refine(isTimeZone, { error: "invalid_time_zone" }),
    startsAt: localDateTime,
    endsAt: localDateTime,
    editDeadline: optionalLocalDateTime,
    refundDeadline: optionalLocalDateTime,
    unnamedReminderDays,
    capacity: wholeNumber({ min: 1, max: 1_000_000 }),
    currency: z
      .string({ error: "required" })
      .trim()
      .toUpperCase()
      .refine(isSupportedCurrency, { error: "invalid_currency" }),
    maxTicketsPerOrder: optionalWholeNumber({ min: 1, max: 100 }),
    allowNameLater: checkbox,
    attendeesMayCancel: checkbox,
    // The waiting-room block: a form without the rate does not carry it and leaves the queue as it is.
    queueEnabled: checkbox,
    queueOpensAt: optionalLocalDateTime,
    queueAdmitPerSecond: wholeNumber({ min: 1, max: 10_000 }).optional(),
    transferEnabled: checkbox,
    transferDays,
    transferClosesDaysBefore,
    waitingListOpen: checkbox,
    waitingListOfferHours,
  })
  .transform((form, context) => {
    const { waitingListOpen, waitingListOfferHours: offerHours, ...withoutWaitingList } = form;
    const { startsAt, endsAt, editDeadline, refundDeadline, maxTicketsPerOrder, ...withQueue } = withoutWaitingList;
    const { queueEnabled, queueOpensAt, queueAdmitPerSecond, ...withTransfer } = withQueue;
    const { transferEnabled, transferDays: days, transferClosesDaysBefore: closes, ...rest } = withTransfer;
    if (closes !== undefined && transferEnabled && !days)
      context.addIssue({ code: "custom", path: ["transferDays"], message: "transfer_days_range" });
    const waitingList = offerHours === undefined ? {} : { waitingListOpen, waitingListOfferHours: offerHours };
    const transfer =
      closes === undefined
        ? {}
        : { transferDays: transferEnabled && days ? Number(days) : null, transferClosesDaysBefore: closes };
    const times = zonedTimes({ startsAt, endsAt, editDeadline, refundDeadline }, form.timeZone, context);
    const opensAt = zonedTimes({ queueOpensAt }, form.timeZone, context).queueOpensAt;
    const queue: QueueSettings | undefined =
      queueAdmitPerSecond === undefined
        ? undefined
        : { enabled: queueEnabled, opensAt, admitPerSecond: queueAdmitPerSecond };
    if (times.startsAt && times.endsAt && times.endsAt <= times.startsAt)
      context.addIssue({ code: "custom", path: ["endsAt"], message: "ends_before_start" });
    return {
      ...rest,
      ...times,
      startsAt: times.startsAt as Date,
      endsAt: times.endsAt as Date,
      maxTicketsPerOrder: maxTicketsPerOrder ?? 10,
      ...transfer,
      ...waitingList,
      queue,
    };
  });

export type EditionInput = z.output<typeof editionFormSchema>;

export type EditionChange =
  | { ok: true; edition: Edition }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "slug_taken" }
  | { ok: false; reason: "capacity_below_taken"; taken: number }
  | { ok: false; reason: "transfer_needs_invoicing"; fieldErrors: FieldErrors };

export const EDITION_FIELDS = [
  "slug",
  "nameFr",
  "nameEn",
  "descriptionFr",
  "descriptionEn",
  "venueName",
  "venueAddress",
  "timeZone",
  "startsAt",
  "endsAt",
  "editDeadline",
  "refundDeadline",
  "unnamedReminderDays",
  "capacity",
  "currency",
  "maxTicketsPerOrder",
  "allowNameLater",
  "attendeesMayCancel",
  "transferDays",
  "transferClosesDaysBefore",
  "waitingListOpen",
  "waitingListOfferHours",
  "practicalInfoDays",
  "practicalInfoTime",
  "scheduleUrl",
  "mapUrl",
  "status",
] as const;

/** The waiting room's settings, audited with the edition's (lib/editions/queue-settings.ts). */
export const AUDITED_QUEUE_FIELDS = ["queueEnabled", "queueOpensAt", "queueAdmitPerSecond"] as const;

function editableFieldsOf(edition: Edition) {
  return Object.fromEntries(EDITION_FIELDS.map((field) => [field, edition[field]])) as Pick<
    Edition,
    (typeof EDITION_FIELDS)[number]
  >;
}

/** The waiting room's settings as the audit log names them, beside the edition's own fields. */
const queueAudited = (queue: QueueSettings): Record<(typeof AUDITED_QUEUE_FIELDS)[number], unknown> => ({
  queueEnabled: queue.enabled,
  queueOpensAt: queue.opensAt,
  queueAdmitPerSecond: queue.admitPerSecond,
});

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

/**
 * A quote prints the organiser's IBAN and BIC (the installation's invoicing settings): without them no edition
 * takes transfers.
 */
async function transferRefusal(
  tx: Prisma.TransactionClient,
  data: { transferDays?: number | null },
): Promise<EditionChange | null> {
  if (data.transferDays == null || (await loadOrganiserProfile(tx))) return null;
  return {
    ok: false,
    reason: "transfer_needs_invoicing",
    fieldErrors: { transferEnabled: ["transfer_needs_invoicing"] },
  };
}

function parseEdition(
  input: unknown,
): { ok: true; data: EditionInput } | { ok: false; reason: "invalid"; fieldErrors: FieldErrors } {
  const parsed = editionFormSchema.safeParse(input);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
}

/** A new edition, as a draft: attendees cannot see it until it is opened. */
/** A public address from a name: "Open Cloud Paris #13" gives "open-cloud-paris-13", "Été 2027" gives "ete-2027". */
export function slugFromName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 80)
    .replace(/^-+|-+$/g, "");
}

/** A new draft edition; left empty, its address is made from its English name (or French). */
export async function createEdition(db: Db, actor: AuditActor, input: unknown): Promise<EditionChange> {
  const form = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const typed = typeof form.slug === "string" ? form.slug.trim() : "";
  const parsed = parseEdition({ ...form, slug: typed || slugFromName(String(form.nameEn || form.nameFr || "")) });
  if (!parsed.ok) return parsed;
  const { queue, ...data } = parsed.data;
  try {
    const created = await db.$transaction(async (tx): Promise<EditionChange> => {
      const refusal = await transferRefusal(tx, data);
      if (refusal) return refusal;
      const edition = await tx.edition.create({ data: { ...data, status: "DRAFT" } });
      if (queue) await configureQueue(tx, edition.id, queue);
      await recordAudit(tx, actor, {
        editionId: edition.id,
        action: "edition.created",
        subjectType: "edition",
        subjectId: edition.id,
        after: { ...editableFieldsOf(edition), ...(queue && queueAudited(queue)) },
      });
      return { ok: true, edition };
    });
    // Forgets this slug if it was asked for, and cached as unknown, just before.
    if (created.ok) invalidateEdition(created.edition.id);
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}

/**
 * Seats already taken (confirmed or held) under the same edition lock a claim takes, so no
 * registration can slip in between this check and the caller's update.
 */
async function lockedSeatsTaken(tx: Prisma.TransactionClient, editionId: string, now: Date) {
  await lockEdition(tx, editionId);
  return getSeatUsage(tx, editionId, now);
}

/** Saves an edition's settings; its capacity may not go below the seats already taken. */
export async function updateEdition(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
  now = new Date(),
): Promise<EditionChange> {
  const parsed = parseEdition(input);
  if (!parsed.ok) return parsed;
  const { queue, ...data } = parsed.data;
  try {
    const change = await db.$transaction(async (tx): Promise<EditionChange> => {
      const before = await tx.edition.findUnique({ where: { id: editionId } });
      if (!before) return { ok: false, reason: "not_found" };
      const taken = seatsTaken(await lockedSeatsTaken(tx, editionId, now));
      if (data.capacity < taken) return { ok: false, reason: "capacity_below_taken", taken };
      const refusal = await transferRefusal(tx, data);
      if (refusal) return refusal;
      // Orders keep the currency they were paid in: a change would sum euros and dollars together.
      if (data.currency !== before.currency && (await tx.order.count({ where: { editionId } })) > 0) {
        return { ok: false, reason: "invalid", fieldErrors: { currency: ["currency_locked"] } };
      }
      const edition = await tx.edition.update({ where: { id: editionId }, data });
      const queueBefore = queue && (await configureQueue(tx, editionId, queue));
      const diff = changedFields(
        { ...editableFieldsOf(before), ...(queueBefore && queueAudited(queueBefore)) },
        { ...editableFieldsOf(edition), ...(queue && queueAudited(queue)) },
      );
      await auditEditionChange(tx, actor, editionId, diff);
      return { ok: true, edition };
    });
    invalidateEdition(editionId);
    return change;
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}

/** Opens (registrations start), closes (registrations stop) or takes an edition back to draft. */
export async function setEditionStatus(
  db: Db,
  actor: AuditActor,
  editionId: string,
  status: Edition["status"],
): Promise<EditionChange> {
  const change = await db.$transaction(async (tx): Promise<EditionChange> => {
    // The edition lock before the edition's row, as every edit takes them: its trigger writes the lock's row.
    await lockEdition(tx, editionId);
    const before = await tx.edition.findUnique({ where: { id: editionId } });
    if (!before) return { ok: false, reason: "not_found" };
    const edition = await tx.edition.update({ where: { id: editionId }, data: { status } });
    if (before.status !== status) {
      await recordAudit(tx, actor, {
        editionId,
        action: `edition.${status.toLowerCase()}`,
        subjectType: "edition",
        subjectId: editionId,
        before: { status: before.status },
        after: { status },
      });
    }
    return { ok: true, edition };
  });
  invalidateEdition(editionId);
  return change;
}

/** A link an email carries: https only (the Edition_links_https CHECK says the same), empty for none. */
const httpsLink = z
  .string({ error: "invalid_type" })
  .trim()
  .max(500, { error: "too_long" })
  .refine((link) => link === "" || isHttpsUrl(link), { error: "https_only" })
  .transform((link) => link || null);

function isHttpsUrl(link: string): boolean {
  if (!URL.canParse(link) || /\s/.test(link)) return false;
  const url = new URL(link);
  return url.protocol === "https:" && url.hostname !== "";
}

/**
 * The Reminders section: the practical information "N days before" (1 to 30, empty for none) at a time of day in the
 * edition's zone, the links it carries, and the unnamed tickets' reminder.
 */
export const reminderSettingsSchema = z.object({
  practicalInfoDays: z
    .string({ error: "practical_info_days_range" })
    .trim()
    .refine((days) => days === "" || (/^\d{1,2}$/.test(days) && Number(days) >= 1 && Number(days) <= 30), {
      error: "practical_info_days_range",
    })
    .transform((days) => (days === "" ? null : Number(days))),
  practicalInfoTime: z
    .string({ error: "invalid_time" })
    .trim()
    .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: "invalid_time" }),
  scheduleUrl: httpsLink,
  mapUrl: httpsLink,
  unnamedReminderDays,
});

const REMINDER_FIELDS = [
  "practicalInfoDays",
  "practicalInfoTime",
  "scheduleUrl",
  "mapUrl",
  "unnamedReminderDays",
] as const satisfies readonly (keyof Edition)[];

/** Records an edition setting change as `edition.updated`; a save that changes nothing writes no entry. */
export async function auditEditionChange(
  tx: Prisma.TransactionClient,
  actor: AuditActor,
  editionId: string,
  diff: ReturnType<typeof changedFields>,
): Promise<void> {
  if (Object.keys(diff.after).length === 0) return;
  await recordAudit(tx, actor, {
    editionId,
    action: "edition.updated",
    subjectType: "edition",
    subjectId: editionId,
    ...diff,
  });
}

/** Saves the Reminders section alone (the edition's other settings stay as they are), audited as `edition.updated`. */
export async function updateReminderSettings(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
): Promise<EditionChange> {
  const parsed = reminderSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const data = parsed.data;
  const change = await db.$transaction(async (tx): Promise<EditionChange> => {
    // The edition lock before the edition's row, as every edit takes them: its trigger writes the lock's row.
    await lockEdition(tx, editionId);
    const before = await tx.edition.findUnique({ where: { id: editionId } });
    if (!before) return { ok: false, reason: "not_found" };
    const edition = await tx.edition.update({ where: { id: editionId }, data });
    const pick = (row: Edition) => Object.fromEntries(REMINDER_FIELDS.map((field) => [field, row[field]]));
    const diff = changedFields(pick(before), pick(edition));
    await auditEditionChange(tx, actor, editionId, diff);
    return { ok: true, edition };
  });
  invalidateEdition(editionId);
  return change;
}

export const cloneFormSchema = z.object({
  slug: slugField,
  nameFr: requiredLine(200),
  nameEn: requiredLine(200),
  startsAt: localDateTime,
});

/**
 * A draft copy of an edition under a new slug, name and start: settings, ticket types, questions and door staff,
 * not attendees. Every date moves with the start (the end, the deadlines, each ticket type's sales window), so
 * an early-bird window that closed a month before the old edition closes a month before the new one.
 */
export async function cloneEdition(
  db: Db,
  actor: AuditActor,
  sourceId: string,
  input: unknown,
): Promise<EditionChange> {
  const parsed = cloneFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { startsAt: localStart, ...names } = parsed.data;
  try {
    const change = await db.$transaction(async (tx): Promise<EditionChange> => {
      const source = await tx.edition.findUnique({
        where: { id: sourceId },
        include: { ticketTypes: true, questions: true, staff: true },
      });
      if (!source) return { ok: false, reason: "not_found" };
      const startsAt = zonedLocalToUtc(localStart, source.timeZone);
      if (!startsAt) return { ok: false, reason: "invalid", fieldErrors: { startsAt: ["invalid_date"] } };
      const shift = wallClockDistance(source.startsAt, startsAt, source.timeZone);
      const moved = <T extends Date | null>(date: T): T =>
        date === null ? date : (shiftWallClock(date, source.timeZone, shift) as T);
      // A clone's attendees are its own: an anonymised source's date says nothing of them (retention, lib/privacy).
      const {
        id: _id,
        createdAt: _c,
        updatedAt: _u,
        anonymisedAt: _a,
        ticketTypes,
        questions,
        staff,
        ...settings
      } = source;
      const edition = await tx.edition.create({
        data: {
          ...settings,
          ...names,
          startsAt,
          endsAt: moved(source.endsAt),
          editDeadline: moved(source.editDeadline),
          refundDeadline: moved(source.refundDeadline),
          status: "DRAFT",
          ticketTypes: {
            create: ticketTypes.map(({ id: _typeId, editionId: _edition, salesStartAt, salesEndAt, ...type }) => ({
              ...type,
              salesStartAt: moved(salesStartAt),
              salesEndAt: moved(salesEndAt),
            })),
          },
          questions: {
            create: questions.map(({ id: _questionId, editionId: _edition, options, ...question }) => ({
              ...question,
              options: options as Prisma.InputJsonValue,
            })),
          },
          staff: { create: staff.map(({ userId }) => ({ userId })) },
        },
      });
      await recordAudit(tx, actor, {
        editionId: edition.id,
        action: "edition.cloned",
        subjectType: "edition",
        subjectId: edition.id,
        before: { from: source.slug },
        after: editableFieldsOf(edition),
      });
      return { ok: true, edition };
    });
    invalidateEdition(sourceId);
    return change;
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}
