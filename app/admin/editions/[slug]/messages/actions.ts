"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { formValues, refused, saved, type FormState } from "@/lib/forms/form-state";
import { adminMessagePath } from "@/lib/http/paths";
import {
  createMessage,
  updateMessage,
  resendFailedOf,
  scheduleMessage,
  sendNow,
  stopMessage,
  type MessageChange,
} from "@/lib/messages/manage";
import { appNow } from "@/lib/time/clock";

const field = (formData: FormData, name: string) => String(formData.get(name) ?? "");

// A refusal names the placeholders or links refused, so the organiser sees which words to fix; each is quoted whole,
// since a malformed placeholder may hold a comma or end a sentence ("{{ first_name, see you").
async function refusalOf(result: Extract<MessageChange, { ok: false }>, formData: FormData): Promise<FormState> {
  const values = formValues(formData);
  if (result.reason !== "invalid") return refused(`message_${result.reason}`, { values });
  if (result.fieldErrors.form) return refused(result.fieldErrors.form[0], { values });
  const names = [...new Set(Object.values(result.names).flat())];
  if (names.length === 0) return refused("invalid", { fieldErrors: result.fieldErrors, values });
  const t = await getTranslations("messagesAdmin");
  const quoted = names.map((name) => t("refusedName", { name })).join(", ");
  return refused("message_refused_names", { fieldErrors: result.fieldErrors, values, params: { names: quoted } });
}

const toMessage = (formData: FormData, messageId: string) => {
  revalidatePath("/admin", "layout");
  redirect(adminMessagePath(field(formData, "editionSlug"), messageId));
};

export const createMessageAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await createMessage(db(), actor, field(formData, "editionId"), formValues(formData));
  if (!result.ok) return refusalOf(result, formData);
  return toMessage(formData, result.message.id);
});

export const updateMessageAction = adminAction("editions:manage", async (actor, formData) => {
  const messageId = field(formData, "messageId");
  const result = await updateMessage(db(), actor, field(formData, "editionId"), messageId, formValues(formData));
  if (!result.ok) return refusalOf(result, formData);
  return toMessage(formData, messageId);
});

export const sendNowAction = adminAction("editions:manage", async (actor, formData) => {
  const messageId = field(formData, "messageId");
  const result = await sendNow(db(), actor, field(formData, "editionId"), messageId, appNow());
  if (!result.ok) return refusalOf(result, formData);
  return toMessage(formData, messageId);
});

export const scheduleMessageAction = adminAction("editions:manage", async (actor, formData) => {
  const messageId = field(formData, "messageId");
  const input = { sendAt: field(formData, "sendAt") };
  const result = await scheduleMessage(db(), actor, field(formData, "editionId"), messageId, input, appNow());
  if (!result.ok) return refusalOf(result, formData);
  return toMessage(formData, messageId);
});

export const stopMessageAction = adminAction("editions:manage", async (actor, formData) => {
  const messageId = field(formData, "messageId");
  const result = await stopMessage(db(), actor, field(formData, "editionId"), messageId, appNow());
  if (!result.cancelled) return refused(`message_${result.reason}`);
  revalidatePath("/admin", "layout");
  return saved("message_stopped", { params: { count: result.superseded } });
});

export const resendFailedAction = adminAction("editions:manage", async (actor, formData) => {
  const resent = await resendFailedOf(
    db(),
    actor,
    field(formData, "editionId"),
    field(formData, "messageId"),
    appNow(),
  );
  revalidatePath("/admin", "layout");
  return saved("message_resent", { params: { count: resent } });
});
