import { notFound } from "next/navigation";
import { getLocale, setRequestLocale } from "next-intl/server";
import { isLocale, localeOr, type Locale } from "./locales";

/**
 * The locale of a page under app/[locale]. Next renders a page alongside its layout, so a page
 * must refuse a bogus segment (/favicon.ico, /xx) itself rather than rely on the layout's 404.
 */
export async function resolvePageLocale(params: Promise<{ locale: string }>): Promise<Locale> {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  return locale;
}

/** The locale of the request being rendered, typed: next-intl's routing only ever sets one of ours. */
export async function currentLocale(): Promise<Locale> {
  return localeOr(await getLocale());
}
