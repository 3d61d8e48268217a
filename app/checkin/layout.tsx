import type { Metadata, Viewport } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { DocumentShell } from "@/components/document-shell";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("checkin");
  return {
    title: t("appName"),
    manifest: "/checkin/manifest.webmanifest",
    robots: { index: false },
    appleWebApp: { capable: true, title: t("appName") },
  };
}

export const viewport: Viewport = { themeColor: "#0b5cad", width: "device-width", initialScale: 1 };

// The scanner is its own installable app (PWA) under /checkin: a bare header, the whole screen for scanning.
export default async function CheckInLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations("checkin");
  const common = await getTranslations("common");
  const other = locale === "fr" ? "en" : "fr";
  return (
    <DocumentShell
      locale={locale}
      mainClassName="page checkin-page"
      header={
        <header className="site-header">
          <span className="brand">{t("appName")}</span>
          <a href={`/admin/language?to=${other}`} lang={other} hrefLang={other} className="language-switch">
            {common("otherLanguage")}
          </a>
        </header>
      }
    >
      {children}
    </DocumentShell>
  );
}
