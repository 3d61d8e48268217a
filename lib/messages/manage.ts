import { z } from "zod";
import { answerFilterChoices, ATTENDEE_STATUSES } from "@/lib/attendees/query";
import { recordAudit, changedFields, type AuditActor } from "@/lib/audit/record";
import type { Db, Prisma } from "@/lib/db/prisma";
import { checkbox, fieldErrorsOf, localDateTime, optionalText, type FieldErrors } from "@/lib/forms/fields";
import type { Message } from "@/lib/generated/prisma/client";
import { MESSAGE_BODY_MAX, SUBJECT_MAX, validateTemplate } from "@/lib/templates/placeholders";
import { zonedLocalToUtc } from "@/lib/time/zoned";
import { voucherTags } from "@/lib/vouchers/list";
import { chooseRecipients, queueRecipients } from "./dispatch";
import { cancelMessage, messageProgress, resendFailed } from "./progress";
import { messageFilterOf, recipientRowsSql, type RecipientSource } from "./recipients";

/** A scheduled message leaves at least this far ahead: time to reread it and to stop it. */
export const SCHEDULE_MIN_AHEAD_MS = 2 * 60_000;
const AUDIENCES = ["ATTENDEES", "BUYERS", "WAITING_LIST"] as const;

// An empty filter field is no filter; a value the list's own filter would ignore is refused, never dropped: dropped,
// a typo would widen the message to every attendee.
const filterText = (max: number) => optionalText(max).transform((value) => value || undefined);
const filterChoice = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());
const yesOrNo = filterChoice(z.enum(["yes", "no"], { error: "invalid_choice" }));

/** The composer's filter fields: messageFilterSchema's, each refused when malformed (that one drops it). */
const messageFilterFormSchema = z.object({
  q: filterText(200),
  ticketType: filterText(64),
  status: filterChoice(z.enum(ATTENDEE_STATUSES, { error: "invalid_choice" })),
  checkedIn: yesOrNo,
  named: yesOrNo,
  answer: filterText(200),
  voucherTag: filterText(100),
  abandoned: filterChoice(z.enum(["show"], { error: "invalid_choice" })),
});

/** The composer's form: whom (audience, the list's filter fields), and what, in both languages. */
export const messageFormSchema = z.object({
  audience: z.enum(AUDIENCES, { error: "invalid_choice" }),
  essential: checkbox,
  subjectFr: optionalText(SUBJECT_MAX),
  subjectEn: optionalText(SUBJECT_MAX),
  bodyFr: optionalText(MESSAGE_BODY_MAX),
  bodyEn: optionalText(MESSAGE_BODY_MAX),
  ...messageFilterFormSchema.shape,
});
export type MessageForm = z.output<typeof messageFormSchema>;

type MessageText = Pick<MessageForm, "subjectFr" | "subjectEn" | "bodyFr" | "bodyEn">;

export type MessageChange =
  | { ok: true; message: Message }
  /** `names`: per field, the placeholders refused by name (unknown or malformed) or the links refused. */
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors; names: Record<string, string[]> }
  /** `no_recipients`: nobody would receive it now (scheduling, sending). */
  | { ok: false; reason: "not_found" | "not_editable" | "no_recipients" };

const LANGUAGES = [
  ["Fr", "fr"],
  ["En", "en"],
] as const;

/**
 * Why a message's text cannot leave (empty when it can): each language's subject and body are both written or both
 * empty (an empty language falls back to the other), at least one is written, and each passes the audience's
 * placeholder and link rules. Checked on save, on scheduling and on sending.
 */
export function messageTextErrors(
  audience: MessageForm["audience"],
  text: MessageText,
): { fieldErrors: FieldErrors; names: Record<string, string[]> } {
  const fieldErrors: FieldErrors = {};
  const names: Record<string, string[]> = {};
  const add = (field: string, code: string, refused?: string[]) => {
    (fieldErrors[field] ??= []).push(code);
    if (refused) names[field] = [...(names[field] ?? []), ...refused];
  };
  let written = 0;
  for (const [suffix] of LANGUAGES) {
    const subject = text[`subject${suffix}`];
    const body = text[`body${suffix}`];
    if (!subject && !body) continue;
    written += 1;
    if (!subject) add(`subject${suffix}`, "required");
    if (!body) add(`body${suffix}`, "required");
    const errors = validateTemplate(`message:${audience}`, { subject, body });
    for (const error of errors.subject ?? []) add(`subject${suffix}`, error.code, error.names);
    for (const error of errors.body ?? []) add(`body${suffix}`, error.code, error.names);
  }
  if (written === 0) add("form", "message_empty");
  return { fieldErrors, names };
}

/**
 * Why a message's kept filter cannot be saved (empty when it can): a value the recipients' query would drop (it would
 * widen the message), or a ticket type, answer or code tag this edition does not have (it would reach nobody).
 */
async function filterErrors(db: Db, editionId: string, filter: Record<string, string | undefined>) {
  const fieldErrors: FieldErrors = {};
  const refuse = (field: string) => (fieldErrors[field] = ["invalid_choice"]);
  const read: Record<string, unknown> = messageFilterOf(filter);
  for (const [field, value] of Object.entries(filter)) if (read[field] !== value) refuse(field);
  const { ticketType, answer, voucherTag } = filter;
  const [type, questions, tags] = await Promise.all([
    ticketType && db.ticketType.findFirst({ where: { editionId, code: ticketType }, select: { id: true } }),
    answer && db.question.findMany({ where: { editionId } }),
    voucherTag && voucherTags(db, editionId),
  ]);
  if (ticketType && !type) refuse("ticketType");
  if (questions && !answerFilterChoices(questions).some((choice) => choice.value === answer)) refuse("answer");
  if (tags && !tags.includes(voucherTag ?? "")) refuse("voucherTag");
  return fieldErrors;
}

async function parseForm(
  db: Db,
  editionId: string,
  input: unknown,
): Promise<{ ok: true; form: MessageForm } | Extract<MessageChange, { reason: "invalid" }>> {
  const parsed = messageFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error), names: {} };
  const { fieldErrors, names } = messageTextErrors(parsed.data.audience, parsed.data);
  Object.assign(fieldErrors, await filterErrors(db, editionId, columnsOf(parsed.data).filter));
  if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "invalid", fieldErrors, names };
  return { ok: true, form: parsed.data };
}

// The row's columns from the form: the filter keeps the fields set, the waiting list only its ticket type.
function columnsOf(form: MessageForm) {
  const { audience, essential, subjectFr, subjectEn, bodyFr, bodyEn, ...filterFields } = form;
  const kept = audience === "WAITING_LIST" ? { ticketType: filterFields.ticketType } : filterFields;
  const filter: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(kept).filter(([, value]) => value !== undefined),
  );
  return { audience, essential, subjectFr, subjectEn, bodyFr, bodyEn, filter };
}

// What the audit log keeps of a message: whom and how, not its text (the message page shows it).
const audited = (message: Message) => ({
  audience: message.audience,
  filter: message.filter,
  essential: message.essential,
  status: message.status,
  sendAt: message.sendAt,
});

/** A new draft written to the edition's attendees, buyers or waiting list; audited `message.created`. */
export async function createMessage(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
): Promise<MessageChange> {
  const parsed = await parseForm(db, editionId, input);
  if (!parsed.ok) return parsed;
  return db.$transaction(async (tx) => {
    const edition = await tx.edition.findUnique({ where: { id: editionId }, select: { id: true } });
    if (!edition) return { ok: false, reason: "not_found" };
    const message = await tx.message.create({
      data: { editionId, createdById: actor.id, ...columnsOf(parsed.form) },
    });
    await recordAudit(tx, actor, {
      editionId,
      action: "message.created",
      subjectType: "message",
      subjectId: message.id,
      after: audited(message),
    });
    return { ok: true, message };
  });
}

// The edition's own custom message, locked: a draft or a scheduled one may still change; any other has left.
async function lockEditable(tx: Prisma.TransactionClient, editionId: string, messageId: string) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM "Message"
     WHERE id = ${messageId}::uuid AND "editionId" = ${editionId}::uuid AND kind = 'CUSTOM' FOR UPDATE`;
  if (!row) return null;
  return tx.message.findUniqueOrThrow({ where: { id: messageId } });
}
const editable = (message: Message) => message.status === "DRAFT" || message.status === "SCHEDULED";

/** A draft's or a scheduled message's new text and recipients (a scheduled one keeps its time); audited. */
export async function updateMessage(
  db: Db,
  actor: AuditActor,
  editionId: string,
  messageId: string,
  input: unknown,
): Promise<MessageChange> {
  const parsed = await parseForm(db, editionId, input);
  if (!parsed.ok) return parsed;
  return db.$transaction(async (tx) => {
    const before = await lockEditable(tx, editionId, messageId);
    if (!before) return { ok: false, reason: "not_found" };
    if (!editable(before)) return { ok: false, reason: "not_editable" };
    const message = await tx.message.update({ where: { id: messageId }, data: columnsOf(parsed.form) });
    const text = (m: Message) => ({ ...audited(m), subjectFr: m.subjectFr, subjectEn: m.subjectEn });
    await recordAudit(tx, actor, {
      editionId,
      action: "message.updated",
      subjectType: "message",
      subjectId: messageId,
      ...changedFields(text(before), text(message)),
    });
    return { ok: true, message };
  });
}

const scheduleSchema = z.object({ sendAt: localDateTime });

/** How many would receive a message now: its recipients as the send chooses them, less the opted-out it skips. */
async function receivingNow(tx: Prisma.TransactionClient, source: RecipientSource, now: Date): Promise<number> {
  const [{ receiving }] = await tx.$queryRaw<{ receiving: number }[]>`
    SELECT count(*)::int AS receiving FROM (${recipientRowsSql(source, now)}) r WHERE r.skipped IS NULL`;
  return receiving;
}

// Thrown inside sendNow's transaction so that the message's transition and recipients roll back with it.
class NoRecipients extends Error {}

/**
 * Schedules a draft (or moves a scheduled message) to a wall-clock time in the edition's zone, at least
 * SCHEDULE_MIN_AHEAD_MS ahead; its text is checked again, and someone must receive it now (`no_recipients`). The
 * sweep sends it to whoever matches then, nobody included: it then ends queued to 0 people.
 */
export async function scheduleMessage(
  db: Db,
  actor: AuditActor,
  editionId: string,
  messageId: string,
  input: unknown,
  now: Date,
): Promise<MessageChange> {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error), names: {} };
  return db.$transaction(async (tx): Promise<MessageChange> => {
    const before = await lockEditable(tx, editionId, messageId);
    if (!before) return { ok: false, reason: "not_found" };
    if (!editable(before)) return { ok: false, reason: "not_editable" };
    const { timeZone } = await tx.edition.findUniqueOrThrow({ where: { id: editionId }, select: { timeZone: true } });
    const sendAt = zonedLocalToUtc(parsed.data.sendAt, timeZone);
    if (!sendAt) return { ok: false, reason: "invalid", fieldErrors: { sendAt: ["invalid_date"] }, names: {} };
    if (sendAt.getTime() < now.getTime() + SCHEDULE_MIN_AHEAD_MS) {
      return { ok: false, reason: "invalid", fieldErrors: { sendAt: ["schedule_too_soon"] }, names: {} };
    }
    const text = messageTextErrors(before.audience, before);
    if (Object.keys(text.fieldErrors).length > 0) return { ok: false, reason: "invalid", ...text };
    if ((await receivingNow(tx, { ...before, editionId }, now)) === 0) return { ok: false, reason: "no_recipients" };
    const message = await tx.message.update({ where: { id: messageId }, data: { status: "SCHEDULED", sendAt } });
    await recordAudit(tx, actor, {
      editionId,
      action: "message.scheduled",
      subjectType: "message",
      subjectId: messageId,
      before: { status: before.status, sendAt: before.sendAt },
      after: { status: message.status, sendAt },
    });
    return { ok: true, message };
  });
}

export type SendOutcome = { ok: true; recipients: number; queued: number } | Extract<MessageChange, { ok: false }>;

/**
 * "Send now": the text checked again, then the recipients chosen as they match now, audited `message.sent` with the
 * count in the same transaction, then queued in this request. Only one caller sends (the transition is conditional).
 * Refused `no_recipients`, the message left as it was, when nobody chosen would receive it (none, or all opted out).
 */
export async function sendNow(
  db: Db,
  actor: AuditActor,
  editionId: string,
  messageId: string,
  now: Date,
): Promise<SendOutcome> {
  const message = await db.message.findFirst({ where: { id: messageId, editionId, kind: "CUSTOM" } });
  if (!message) return { ok: false, reason: "not_found" };
  if (!editable(message)) return { ok: false, reason: "not_editable" };
  const text = messageTextErrors(message.audience, message);
  if (Object.keys(text.fieldErrors).length > 0) return { ok: false, reason: "invalid", ...text };
  const recipients = await chooseRecipients(db, messageId, now, async (tx, count) => {
    const receiving = await tx.messageRecipient.count({ where: { messageId, skipped: null } });
    if (receiving === 0) throw new NoRecipients();
    await recordAudit(tx, actor, {
      editionId,
      action: "message.sent",
      subjectType: "message",
      subjectId: messageId,
      after: { ...audited(message), recipients: count },
    });
  }).catch((error: unknown) => (error instanceof NoRecipients ? ("no_recipients" as const) : Promise.reject(error)));
  if (recipients === "no_recipients") return { ok: false, reason: "no_recipients" };
  if (recipients === null) return { ok: false, reason: "not_editable" };
  return { ok: true, recipients, queued: await queueRecipients(db, messageId, now) };
}

/**
 * "Stop sending" / "Cancel": audited `message.cancelled` with how many emails were stopped. A standing message
 * (practical information, certificates) is refused `standing_message`: its setting turns it off.
 */
export async function stopMessage(db: Db, actor: AuditActor, editionId: string, messageId: string, now: Date) {
  const owned = await db.message.findFirst({ where: { id: messageId, editionId }, select: { kind: true } });
  if (!owned) return { cancelled: false as const, reason: "not_found" as const };
  if (owned.kind !== "CUSTOM") return { cancelled: false as const, reason: "standing_message" as const };
  return cancelMessage(db, messageId, now, (tx, superseded) =>
    recordAudit(tx, actor, {
      editionId,
      action: "message.cancelled",
      subjectType: "message",
      subjectId: messageId,
      after: { superseded },
    }),
  );
}

/** "Resend the failed": audited `email.resent` with the count, as the Emails page's resend. */
export async function resendFailedOf(db: Db, actor: AuditActor, editionId: string, messageId: string, now: Date) {
  const owned = await db.message.findFirst({ where: { id: messageId, editionId }, select: { id: true } });
  if (!owned) return 0;
  return resendFailed(db, messageId, now, (tx, resent) =>
    resent === 0
      ? Promise.resolve()
      : recordAudit(tx, actor, {
          editionId,
          action: "email.resent",
          subjectType: "message",
          subjectId: messageId,
          after: { resent },
        }),
  );
}

/**
 * The Messages tab: the standing messages (practical information, certificates) first, then the newest, each with
 * its progress (messageProgress: the same numbers as the message's page).
 */
export async function listMessages(db: Db, editionId: string, limit = 100) {
  const messages = await db.message.findMany({
    where: { editionId },
    orderBy: [{ createdAt: "desc" }],
    take: limit,
    include: { createdBy: { select: { email: true } } },
  });
  const standingFirst = [...messages].sort((a, b) => Number(a.kind === "CUSTOM") - Number(b.kind === "CUSTOM"));
  return Promise.all(
    standingFirst.map(async (message) => ({ ...message, progress: await messageProgress(db, message.id) })),
  );
}
