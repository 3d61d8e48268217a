import { hasLocale } from "next-intl";
import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { routing } from "./routing";

export const LOCALE_COOKIE = "NEXT_LOCALE";

// Public pages carry their locale in the path; the back office and the scanner have no locale
// segment, so they speak the language last chosen (the cookie next-intl also sets) or the browser's.
async function localeOutsideThePath(): Promise<string | undefined> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (hasLocale(routing.locales, chosen)) return chosen;
  const accepted = (await headers()).get("accept-language") ?? "";
  return accepted
    .split(",")
    .map((part) => part.split(";")[0].trim().slice(0, 2).toLowerCase())
    .find((language) => hasLocale(routing.locales, language));
}

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = (await requestLocale) ?? (await localeOutsideThePath());
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  return { locale, messages: (await import(`./messages/${locale}.json`)).default };
});
