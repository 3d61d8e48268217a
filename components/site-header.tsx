import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { Link } from "@/lib/i18n/navigation";
import { LanguageSwitch } from "./language-switch";

export async function SiteHeader() {
  const t = await getTranslations("common");
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        {t("appName")}
      </Link>
      <Suspense>
        <LanguageSwitch label={t("languageSwitch")} otherLanguage={t("otherLanguage")} />
      </Suspense>
    </header>
  );
}
