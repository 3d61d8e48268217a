"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { deleteQuestion, moveQuestion, saveQuestion } from "@/lib/editions/questions";
import { answerOf, formValues } from "@/lib/forms/form-state";

export const saveQuestionAction = adminAction("editions:manage", async (actor, formData) => {
  const questionId = String(formData.get("questionId") ?? "") || null;
  const result = await saveQuestion(db(), actor, String(formData.get("editionId")), questionId, formValues(formData));
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, questionId ? "saved" : "question_added");
});

export const deleteQuestionAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await deleteQuestion(
    db(),
    actor,
    String(formData.get("editionId")),
    String(formData.get("questionId")),
  );
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, "deleted");
});

export const moveQuestionAction = adminAction("editions:manage", async (actor, formData) => {
  const direction = formData.get("direction") === "up" ? "up" : "down";
  const result = await moveQuestion(
    db(),
    actor,
    String(formData.get("editionId")),
    String(formData.get("questionId")),
    direction,
  );
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, "moved");
});
