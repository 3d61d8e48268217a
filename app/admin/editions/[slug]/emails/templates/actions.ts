"use server";

import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { formValues, refused, saved, type FormState } from "@/lib/forms/form-state";
import { adminTemplatePath } from "@/lib/http/paths";
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { previewTemplate, resetTemplate, saveTemplate } from "@/lib/templates/overrides";
import { TEMPLATE_KINDS, type TemplateErrors } from "@/lib/templates/placeholders";
import { appNow } from "@/lib/time/clock";

const target = z.object({
  editionId: z.uuid(),
  editionSlug: z.string().min(1),
  kind: z.enum(TEMPLATE_KINDS),
  locale: z.enum(["fr", "en"]),
});
const draft = target.extend({ subject: z.string(), body: z.string() });

// Each refused field keeps its codes; the placeholders or links it names ride in `params` under "field.code", so the
// editor says which words to fix under the field itself.
function refusalOf(
  message: "template_refused" | "template_preview_refused",
  errors: TemplateErrors,
  formData: FormData,
): FormState {
  const fieldErrors: Record<string, string[]> = {};
  const params: Record<string, string> = {};
  for (const [field, list] of Object.entries(errors)) {
    fieldErrors[field] = list.map((error) => error.code);
    for (const error of list) if (error.names) params[`${field}.${error.code}`] = error.names.join(", ");
  }
  return refused(message, { fieldErrors, params, values: formValues(formData) });
}

export const previewTemplateAction = adminAction("editions:manage", async (_actor, formData) => {
  const input = draft.safeParse(formValues(formData));
  if (!input.success) return refused("invalid");
  const { editionId, kind, locale, subject, body } = input.data;
  // In the email's language, as the people who receive it will read it.
  const t = await getTranslations({ locale, namespace: "templatesAdmin" });
  const profile = await loadOrganiserProfile(db());
  const preview = await previewTemplate(
    db(),
    editionId,
    kind,
    locale,
    { subject, body },
    { appUrl: env().APP_URL, organiserName: profile?.legalName ?? null, now: appNow(), footer: t("previewFooter") },
  );
  // Nothing was being saved: the answer says the preview could not be drawn, and the fields say why.
  if (!preview.ok) return refusalOf("template_preview_refused", preview.errors, formData);
  return saved("template_preview", { preview: { subject: preview.subject, html: preview.html } });
});

export const saveTemplateAction = adminAction("editions:manage", async (actor, formData) => {
  const input = draft.safeParse(formValues(formData));
  if (!input.success) return refused("invalid");
  const { editionId, editionSlug, kind, locale, subject, body } = input.data;
  const result = await saveTemplate(db(), actor, editionId, kind, locale, { subject, body });
  if (!result.ok) return refusalOf("template_refused", result.errors, formData);
  revalidatePath("/admin", "layout");
  redirect(adminTemplatePath(editionSlug, kind, locale, { done: result.changed ? "saved" : "unchanged" }));
});

export const resetTemplateAction = adminAction("editions:manage", async (actor, formData) => {
  const input = target.safeParse(formValues(formData));
  if (!input.success) return refused("invalid");
  const { editionId, editionSlug, kind, locale } = input.data;
  await resetTemplate(db(), actor, editionId, kind, locale);
  revalidatePath("/admin", "layout");
  redirect(adminTemplatePath(editionSlug, kind, locale, { done: "reset" }));
});
