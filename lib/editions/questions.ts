import { z } from "zod";
import { invalidateEdition } from "./edition-cache";
import type { Db } from "@/lib/db/prisma";
import type { Question } from "@/lib/generated/prisma/client";
import { changedFields, recordAudit, type AuditActor } from "@/lib/audit/record";
import { checkbox, fieldErrorsOf, optionalText, requiredLine, SINGLE_LINE, type FieldErrors } from "@/lib/forms/fields";
import type { QuestionOption } from "./answers";

/**
 * Choices of a select question, one per line: "value | libellé | label". The value is what exports
 * show and what answers store, so it should not change once people have answered.
 */
export function parseOptionLines(text: string): QuestionOption[] | null {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const options = lines.map((line) => line.split("|").map((part) => part.trim()));
  if (
    options.some(
      (parts) =>
        parts.length !== 3 ||
        parts.some((part) => part === "" || !SINGLE_LINE.test(part)) ||
        !/^[a-z0-9_-]+$/i.test(parts[0]),
    )
  )
    return null;
  const values = options.map(([value]) => value);
  if (new Set(values).size !== values.length) return null;
  return options.map(([value, labelFr, labelEn]) => ({ value, labelFr, labelEn }));
}

export function optionLines(options: unknown): string {
  return (Array.isArray(options) ? (options as QuestionOption[]) : [])
    .map((option) => `${option.value} | ${option.labelFr} | ${option.labelEn}`)
    .join("\n");
}

const questionFormSchema = z
  .object({
    key: z
      .string({ error: "required" })
      .trim()
      .toLowerCase()
      .min(1, { error: "required" })
      .max(64, { error: "too_long" })
      .regex(/^[a-z][a-z0-9_]*$/, { error: "invalid_key" }),
    type: z.enum(["TEXT", "SELECT", "CHECKBOX"], { error: "invalid_choice" }),
    required: checkbox,
    labelFr: requiredLine(300),
    labelEn: requiredLine(300),
    options: optionalText(5000),
  })
  .transform((form, context) => {
    if (form.type !== "SELECT") return { ...form, options: [] as QuestionOption[] };
    const options = parseOptionLines(form.options);
    if (!options || options.length === 0) {
      context.addIssue({ code: "custom", path: ["options"], message: "invalid_options" });
      return z.NEVER;
    }
    return { ...form, options };
  });

export type QuestionChange =
  | { ok: true; question: Question }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "key_taken" };

const snapshot = ({ key, type, required, labelFr, labelEn, options, position }: Question) => ({
  key,
  type,
  required,
  labelFr,
  labelEn,
  options,
  position,
});

/** Adds a question at the end of the form, or saves one (`questionId`). */
export async function saveQuestion(
  db: Db,
  actor: AuditActor,
  editionId: string,
  questionId: string | null,
  input: unknown,
): Promise<QuestionChange> {
  const parsed = questionFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const change = await db.$transaction(async (tx): Promise<QuestionChange> => {
      if (!questionId) {
        const last = await tx.question.aggregate({ where: { editionId }, _max: { position: true } });
        const question = await tx.question.create({
          data: { ...parsed.data, editionId, position: (last._max.position ?? -1) + 1 },
        });
        await recordAudit(tx, actor, {
          editionId,
          action: "question.created",
          subjectType: "question",
          subjectId: question.id,
          after: snapshot(question),
        });
        return { ok: true, question };
      }
      const before = await tx.question.findFirst({ where: { id: questionId, editionId } });
      if (!before) return { ok: false, reason: "not_found" };
      const question = await tx.question.update({ where: { id: questionId }, data: parsed.data });
      const diff = changedFields(snapshot(before), snapshot(question));
      if (Object.keys(diff.after).length > 0)
        await recordAudit(tx, actor, {
          editionId,
          action: "question.updated",
          subjectType: "question",
          subjectId: questionId,
          ...diff,
        });
      return { ok: true, question };
    });
    invalidateEdition(editionId);
    return change;
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return { ok: false, reason: "key_taken" };
    throw error;
  }
}

/** Removes a question from the form; answers already given stay in the tickets. */
export async function deleteQuestion(
  db: Db,
  actor: AuditActor,
  editionId: string,
  questionId: string,
): Promise<QuestionChange> {
  const change = await db.$transaction(async (tx): Promise<QuestionChange> => {
    const question = await tx.question.findFirst({ where: { id: questionId, editionId } });
    if (!question) return { ok: false, reason: "not_found" };
    await tx.question.delete({ where: { id: questionId } });
    await recordAudit(tx, actor, {
      editionId,
      action: "question.deleted",
      subjectType: "question",
      subjectId: questionId,
      before: snapshot(question),
    });
    return { ok: true, question };
  });
  invalidateEdition(editionId);
  return change;
}

/** Swaps a question with its neighbour above or below; positions are renumbered 0…n-1. */
export async function moveQuestion(
  db: Db,
  actor: AuditActor,
  editionId: string,
  questionId: string,
  direction: "up" | "down",
): Promise<QuestionChange> {
  const change = await db.$transaction(async (tx): Promise<QuestionChange> => {
    const questions = await tx.question.findMany({
      where: { editionId },
      orderBy: [{ position: "asc" }, { key: "asc" }],
    });
    const index = questions.findIndex((question) => question.id === questionId);
    if (index < 0) return { ok: false, reason: "not_found" };
    const target = direction === "up" ? index - 1 : index + 1;
    if (target >= 0 && target < questions.length)
      [questions[index], questions[target]] = [questions[target], questions[index]];
    for (const [position, question] of questions.entries()) {
      if (question.position !== position) await tx.question.update({ where: { id: question.id }, data: { position } });
    }
    await recordAudit(tx, actor, {
      editionId,
      action: "question.moved",
      subjectType: "question",
      subjectId: questionId,
      before: { position: index },
      after: { position: Math.max(0, Math.min(target, questions.length - 1)) },
    });
    return { ok: true, question: questions[Math.max(0, Math.min(target, questions.length - 1))] };
  });
  invalidateEdition(editionId);
  return change;
}
