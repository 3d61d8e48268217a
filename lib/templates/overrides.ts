import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { localized } from "@/lib/i18n/format";
import en from "@/lib/i18n/email-templates/en.json" with { type: "json" };
import fr from "@/lib/i18n/email-templates/fr.json" with { type: "json" };
import { emailLayout, footerBlock, markdownBlock } from "./layout";
import {
  allowedPlaceholders,
  renderBodyPlaceholders,
  renderSubjectPlaceholders,
  sampleContext,
  TEMPLATE_KINDS,
  validateTemplate,
  type PlaceholderContext,
  type TemplateErrors,
  type TemplateKind,
} from "./placeholders";

type Locale = "fr" | "en";
export type TemplateText = { subject: string; body: string };

// Read as data, never through next-intl: `{{ name }}` is a syntax error in an ICU message.
const DEFAULTS: Record<Locale, Record<TemplateKind, TemplateText>> = { fr, en };

export function isTemplateKind(value: string): value is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(value);
}

/** The app's own wording of a kind in one language. */
export function defaultTemplate(kind: TemplateKind, locale: Locale): TemplateText {
  return DEFAULTS[locale][kind];
}

export type LoadedTemplate = TemplateText & { customised: boolean };

/** The organisers' wording of a kind for an edition and a language, else the default: one query. */
export async function loadTemplate(
  db: Db,
  editionId: string,
  kind: TemplateKind,
  locale: Locale,
): Promise<LoadedTemplate> {
  const row = await db.emailTemplate.findUnique({
    where: { editionId_kind_locale: { editionId, kind, locale } },
    select: { subject: true, body: true },
  });
  return row ? { ...row, customised: true } : { ...defaultTemplate(kind, locale), customised: false };
}

/** Which kinds and languages an edition has rewritten: the list's "customised" badges. */
export async function customisedTemplates(db: Db, editionId: string): Promise<Set<`${string}:${Locale}`>> {
  const rows = await db.emailTemplate.findMany({ where: { editionId }, select: { kind: true, locale: true } });
  return new Set(rows.map((row) => `${row.kind}:${row.locale}` as const));
}

export type SaveTemplateOutcome = { ok: true; changed: boolean } | { ok: false; errors: TemplateErrors };

/**
 * Saves an edition's wording of a kind in one language once its placeholders, links and lengths are valid for the
 * kind (nothing saved otherwise), audited `template.updated` with the text before and after.
 */
export async function saveTemplate(
  db: Db,
  actor: AuditActor,
  editionId: string,
  kind: TemplateKind,
  locale: Locale,
  draft: TemplateText,
): Promise<SaveTemplateOutcome> {
  const errors = validateTemplate(kind, draft);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const text = { subject: draft.subject, body: draft.body };
  return db.$transaction(async (tx) => {
    const key = { editionId_kind_locale: { editionId, kind, locale } };
    const before = await tx.emailTemplate.findUnique({ where: key, select: { id: true, subject: true, body: true } });
    const was = before ? { subject: before.subject, body: before.body } : defaultTemplate(kind, locale);
    if (was.subject === text.subject && was.body === text.body) return { ok: true, changed: false };
    const saved = await tx.emailTemplate.upsert({
      where: key,
      create: { editionId, kind, locale, ...text, updatedById: actor.id },
      update: { ...text, updatedById: actor.id },
      select: { id: true },
    });
    await recordAudit(tx, actor, {
      editionId,
      action: "template.updated",
      subjectType: "email_template",
      subjectId: saved.id,
      before: { kind, locale, customised: Boolean(before), ...was },
      after: { kind, locale, customised: true, ...text },
    });
    return { ok: true, changed: true };
  });
}

/** Back to the app's wording: the edition's text is deleted, audited `template.reset` with the text removed. */
export async function resetTemplate(
  db: Db,
  actor: AuditActor,
  editionId: string,
  kind: TemplateKind,
  locale: Locale,
): Promise<{ reset: boolean }> {
  return db.$transaction(async (tx) => {
    const key = { editionId_kind_locale: { editionId, kind, locale } };
    const row = await tx.emailTemplate.findUnique({ where: key });
    if (!row) return { reset: false };
    await tx.emailTemplate.delete({ where: key });
    await recordAudit(tx, actor, {
      editionId,
      action: "template.reset",
      subjectType: "email_template",
      subjectId: row.id,
      before: { kind, locale, subject: row.subject, body: row.body },
      after: { kind, locale, ...defaultTemplate(kind, locale) },
    });
    return { reset: true };
  });
}

/** A text's subject and organiser block with a context's values: what every renderer and the preview put in. */
export function renderTemplateText(
  kind: TemplateKind,
  text: TemplateText,
  context: PlaceholderContext,
  locale: Locale,
): { subject: string; markdown: string } {
  return {
    subject: renderSubjectPlaceholders(kind, text.subject, context, locale),
    markdown: renderBodyPlaceholders(kind, text.body, context, locale),
  };
}

/**
 * What a preview fills its placeholders from besides the edition: `organiserName` is the organisers' legal name when
 * they gave one (the edition's name stands in otherwise, as in a real send).
 */
export type PreviewSample = { appUrl: string; organiserName: string | null; now: Date };

async function previewContext(db: Db, editionId: string, locale: Locale, sample: PreviewSample) {
  const edition = await db.edition.findUniqueOrThrow({
    where: { id: editionId },
    include: { ticketTypes: { select: { nameFr: true, nameEn: true }, orderBy: { position: "asc" }, take: 1 } },
  });
  const ticketType = edition.ticketTypes[0] ?? { nameFr: "Entrée", nameEn: "Admission" };
  const organiserName = sample.organiserName ?? localized(edition, "name", locale);
  return sampleContext(edition, { ...sample, organiserName, ticketType }, locale);
}

/** The placeholders a kind allows, each with the value the preview gives it: the editor's list. */
export async function placeholderSamples(
  db: Db,
  editionId: string,
  kind: TemplateKind,
  locale: Locale,
  sample: PreviewSample,
): Promise<{ name: string; sample: string }[]> {
  const context = await previewContext(db, editionId, locale, sample);
  return allowedPlaceholders(kind).map((placeholder) => ({
    name: placeholder.name,
    sample: placeholder.value(context, locale),
  }));
}

export type TemplatePreview =
  { ok: true; subject: string; html: string; text: string } | { ok: false; errors: TemplateErrors };

/**
 * A draft rendered with sample values (the edition's own, made-up people and links) on the layout, by the same
 * substitution as the send. Only the organisers' part: each kind's fixed block (tickets, offer, amounts) is the
 * app's and drawn by its renderer from real rows.
 */
export async function previewTemplate(
  db: Db,
  editionId: string,
  kind: TemplateKind,
  locale: Locale,
  draft: TemplateText,
  sample: PreviewSample & { footer: string },
): Promise<TemplatePreview> {
  const errors = validateTemplate(kind, draft);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const context = await previewContext(db, editionId, locale, sample);
  const { subject, markdown } = renderTemplateText(kind, draft, context, locale);
  const layout = emailLayout({
    locale,
    title: subject,
    preheader: subject,
    blocks: [markdownBlock(markdown)],
    footer: footerBlock({ reason: sample.footer }),
  });
  return { ok: true, subject, ...layout };
}
