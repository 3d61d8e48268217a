import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Fragment } from "react";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/admin/action-button";
import { TemplateEditor } from "@/components/admin/templates/template-editor";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { adminTemplatePath, adminTemplatesPath } from "@/lib/http/paths";
import { defaultLocale, isLocale, locales } from "@/lib/i18n/locales";
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { isTemplateKind, loadTemplate, placeholderSamples } from "@/lib/templates/overrides";
import { appNow } from "@/lib/time/clock";
import { editionForPage } from "../../../edition-for-page";
import { previewTemplateAction, resetTemplateAction, saveTemplateAction } from "../actions";

type Props = {
  params: Promise<{ slug: string; kind: string }>;
  searchParams: Promise<{ locale?: string; done?: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { kind } = await params;
  const emails = await getTranslations("emails");
  if (!isTemplateKind(kind)) return {};
  return { title: (await getTranslations("templatesAdmin"))("editTitle", { email: emails(`kind.${kind}`) }) };
}

const DONE = ["saved", "unchanged", "reset"];

export default async function TemplatePage({ params, searchParams }: Props) {
  const { edition } = await editionForPage(params);
  const { kind } = await params;
  const query = await searchParams;
  // Without a language the French text opens (the default locale); a language the app does not speak is no page.
  const locale = query.locale ?? defaultLocale;
  const done = query.done;
  if (!isTemplateKind(kind) || !isLocale(locale)) notFound();
  const t = await getTranslations("templatesAdmin");
  const emails = await getTranslations("emails");
  const template = await loadTemplate(db(), edition.id, kind, locale);
  const profile = await loadOrganiserProfile(db());
  const samples = await placeholderSamples(db(), edition.id, kind, locale, {
    appUrl: env().APP_URL,
    organiserName: profile?.legalName ?? null,
    now: appNow(),
  });
  const hidden = { editionId: edition.id, editionSlug: edition.slug, kind, locale };
  const email = emails(`kind.${kind}`);
  return (
    <>
      <p>
        <Link href={adminTemplatesPath(edition.slug)}>{t("backToList")}</Link>
      </p>
      <h2>{t("editTitle", { email })}</h2>
      <p className="muted">{t(`purpose.${kind}`)}</p>
      <nav aria-label={t("languages")}>
        <p>
          {locales.map((other, index) => (
            <Fragment key={other}>
              {index > 0 && " · "}
              {other === locale ? (
                <strong aria-current="page">{t(`language.${other}`)}</strong>
              ) : (
                <Link href={adminTemplatePath(edition.slug, kind, other)}>{t(`language.${other}`)}</Link>
              )}
            </Fragment>
          ))}
          {" — "}
          {template.customised ? (
            <span className="badge badge-ok">{t("customised")}</span>
          ) : (
            <span className="muted">{t("default")}</span>
          )}
        </p>
      </nav>
      {done && DONE.includes(done) && (
        <p className="form-message success" role="status">
          {t(`done.${done}`)}
        </p>
      )}
      <p className="notice">{t("fixedBlock")}</p>
      <TemplateEditor
        // A save or a reset comes back here with the stored text: the fields start again from it.
        key={`${template.subject}\u0000${template.body}`}
        preview={previewTemplateAction}
        save={saveTemplateAction}
        hidden={hidden}
        initial={{ subject: template.subject, body: template.body }}
        placeholders={t("placeholdersHint")}
      />
      <h3>{t("placeholders")}</h3>
      <p className="muted">{t("placeholdersIntro")}</p>
      <dl data-testid="placeholders">
        {samples.map((placeholder) => (
          <div key={placeholder.name}>
            <dt>
              <code>{`{{ ${placeholder.name} }}`}</code>
            </dt>
            <dd className="message-body">{placeholder.sample || t("emptySample")}</dd>
          </div>
        ))}
      </dl>
      {template.customised && (
        <>
          <h3>{t("resetTitle")}</h3>
          <p>{t("resetIntro")}</p>
          <ActionButton
            action={resetTemplateAction}
            hidden={hidden}
            label={t("reset")}
            confirm={t("resetConfirm", { email })}
            danger
          />
        </>
      )}
    </>
  );
}
