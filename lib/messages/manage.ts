import { z } from "zod";
import { recordAudit, changedFields, type AuditActor } from "@/lib/audit/record";
import type { Db, Prisma } from "@/lib/db/prisma";
import { checkbox, fieldErrorsOf, localDateTime, optionalText, type FieldErrors } from "@/lib/forms/fields";
import type { Message } from "@/lib/generated/prisma/client";
import { MESSAGE_BODY_MAX, SUBJECT_MAX, validateTemplate } from "@/lib/templates/placeholders";
import { zonedLocalToUtc } from "@/lib/time/zoned";
import { chooseRecipients, queueRecipients } from "./dispatch";
import { cancelMessage, messageProgress, resendFailed } from "./progress";
import { messageFilterSchema } from "./recipients";

/** A scheduled message leaves at least this far ahead: time to reread it and to stop it. */
export const SCHEDULE_MIN_AHEAD_MS = 2 * 60_000;
const AUDIENCES = ["ATTENDEES", "BUYERS", "WAITING_LIST"] as const;

/** The composer's form: whom (audience, the list's filter fields), and what, in both languages. */
export const messageFormSchema = z.object({
  audience: z.enum(AUDIENCES, { error: "invalid_choice" }),
  essential: checkbox,
  subjectFr: optionalText(SUBJECT_MAX),
  subjectEn: optionalText(SUBJECT_MAX),
  bodyFr: optionalText(MESSAGE_BODY_MAX),
  bodyEn: optionalText(MESSAGE_BODY_MAX),
  ...messageFilterSchema.shape,
});
export type MessageForm = z.output<typeof messageFormSchema>;

type MessageText = Pick<MessageForm, "subjectFr" | "subjectEn" | "bodyFr" | "bodyEn">;

export type MessageChange =
  | { ok: true; message: Message }
  /** `names`: per field, the placeholders refused by name (unknown or malformed) or the links refused. */
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors; names: Record<string, string[]> }
  | { ok: false; reason: "not_found" | "not_editable" };

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

function parseForm(input: unknown): { ok: true; form: MessageForm } | Extract<MessageChange, { reason: "invalid" }> {
  const parsed = messageFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error), names: {} };
  const { fieldErrors, names } = messageTextErrors(parsed.data.audience, parsed.data);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "invalid", fieldErrors, names };
  return { ok: true, form: parsed.data };
}

// The row's columns from the form: the filter keeps the fields set, the waiting list only its ticket type.
function columnsOf(form: MessageForm) {
  const { audience, essential, subjectFr, subjectEn, bodyFr, bodyEn, ...filterFields } = form;
  const kept = audience === "WAITING_LIST" ? { ticketType: filterFields.ticketType } : filterFields;
  const filter = Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined));
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
  const parsed = parseForm(input);
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
  const parsed = parseForm(input);
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

/**
 * Schedules a draft (or moves a scheduled message) to a wall-clock time in the edition's zone, at least
 * SCHEDULE_MIN_AHEAD_MS ahead; its text is checked again. The sweep sends it to whoever matches then.
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
  const recipients = await chooseRecipients(db, messageId, now, (tx, count) =>
    recordAudit(tx, actor, {
      editionId,
      action: "message.sent",
      subjectType: "message",
      subjectId: messageId,
      after: { ...audited(message), recipients: count },
    }),
  );
  if (recipients === null) return { ok: false, reason: "not_editable" };
  return { ok: true, recipients, queued: await queueRecipients(db, messageId, now) };
}

/** "Stop sending" / "Cancel": audited `message.cancelled` with how many emails were stopped. */
export async function stopMessage(db: Db, actor: AuditActor, editionId: string, messageId: string, now: Date) {
  const owned = await db.message.findFirst({
    where: { id: messageId, editionId, kind: "CUSTOM" },
    select: { id: true },
  });
  if (!owned) return { cancelled: false as const, reason: "not_found" as const };
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
