import type { Metadata } from "next";
import { hasLocale, NextIntlClientProvider } from "next-intl";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { routing } from "@/lib/i18n/routing";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale: hasLocale(routing.locales, locale) ? locale : routing.defaultLocale, namespace: "common" });
  return { title: { default: t("appName"), template: `%s · ${t("appName")}` } };
}

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations("common");
  return (
    <html lang={locale}>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </head>
      <body>
        <NextIntlClientProvider>
          <a className="skip-link" href="#content">
            {t("skipToContent")}
          </a>
          <SiteHeader />
          <main id="content" className="page">
            {children}
          </main>
          <footer className="site-footer">{t("footer")}</footer>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
