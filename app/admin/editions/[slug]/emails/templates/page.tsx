import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { db } from "@/lib/db/prisma";
import { adminEditionPath, adminTemplatePath } from "@/lib/http/paths";
import { locales } from "@/lib/i18n/locales";
import { customisedTemplates } from "@/lib/templates/overrides";
import { TEMPLATE_KINDS } from "@/lib/templates/placeholders";
import { editionForPage } from "../../edition-for-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("templatesAdmin"))("title") };
}

export default async function TemplatesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const t = await getTranslations("templatesAdmin");
  const emails = await getTranslations("emails");
  const customised = await customisedTemplates(db(), edition.id);
  return (
    <>
      <p>
        <Link href={adminEditionPath(edition.slug, "emails")}>{t("back")}</Link>
      </p>
      <h2>{t("title")}</h2>
      <p className="muted">{t("intro")}</p>
      <ul className="cards" data-testid="templates">
        {TEMPLATE_KINDS.map((kind) => (
          <li key={kind} className="card">
            <h3>{emails(`kind.${kind}`)}</h3>
            <p>{t(`purpose.${kind}`)}</p>
            {locales.map((locale) => (
              <p key={locale}>
                <Link
                  href={adminTemplatePath(edition.slug, kind, locale)}
                  aria-label={t("editIn", { action: t(`edit.${locale}`), email: emails(`kind.${kind}`) })}
                >
                  {t(`edit.${locale}`)}
                </Link>{" "}
                {customised.has(`${kind}:${locale}`) ? (
                  <span className="badge badge-ok">{t("customised")}</span>
                ) : (
                  <span className="muted">{t("default")}</span>
                )}
              </p>
            ))}
          </li>
        ))}
      </ul>
    </>
  );
}
