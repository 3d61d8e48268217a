import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { DocumentShell } from "@/components/document-shell";
import { SiteHeader } from "@/components/site-header";
import { privacyPath } from "@/lib/http/paths";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { routing } from "@/lib/i18n/routing";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({
    locale: hasLocale(routing.locales, locale) ? locale : routing.defaultLocale,
    namespace: "common",
  });
  return { title: { default: t("appName"), template: `%s · ${t("appName")}` } };
}

export default async function LocaleLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ locale: string }>;
}) {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations("common");
  const tPrivacy = await getTranslations("privacy");
  return (
    <DocumentShell
      locale={locale}
      header={<SiteHeader />}
      footer={
        <footer className="site-footer">
          <p>{t("footer")}</p>
          <p>
            <a href={privacyPath(locale)}>{tPrivacy("footerLink")}</a>
          </p>
        </footer>
      }
    >
      {children}
    </DocumentShell>
  );
}
