"use client";

import { useLocale } from "next-intl";
import { useSearchParams } from "next/navigation";
import { Link, usePathname } from "@/lib/i18n/navigation";

// A client island only because the current path and query are known in the browser.
export function LanguageSwitch({ label, otherLanguage }: { label: string; otherLanguage: string }) {
  const locale = useLocale();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const other = locale === "fr" ? "en" : "fr";
  return (
    <nav aria-label={label}>
      <Link
        href={{ pathname, query: Object.fromEntries(searchParams) }}
        locale={other}
        lang={other}
        hrefLang={other}
        className="language-switch"
      >
        {otherLanguage}
      </Link>
    </nav>
  );
}
