import { NextIntlClientProvider } from "next-intl";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";

/** The html document every area shares: language, viewport, skip link, header, main, footer. */
export async function DocumentShell({
  locale,
  header,
  footer,
  mainClassName = "page",
  children,
}: {
  locale: string;
  header: ReactNode;
  footer?: ReactNode;
  mainClassName?: string;
  children: ReactNode;
}) {
  const t = await getTranslations("common");
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <a className="skip-link" href="#content">
            {t("skipToContent")}
          </a>
          {header}
          <main id="content" className={mainClassName}>
            {children}
          </main>
          {footer}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
