import { getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";

export async function Price({ cents, currency }: { cents: number; currency: string }) {
  if (cents === 0) return <>{(await getTranslations("common"))("free")}</>;
  return <>{formatMoney(cents, currency, (await getLocale()) as Locale)}</>;
}
