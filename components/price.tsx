import { getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";

export async function Price({ cents, currency }: { cents: number; currency: string }) {
  if (cents === 0) return <>{(await getTranslations("common"))("free")}</>;
  return <>{formatMoney(cents, currency, await currentLocale())}</>;
}
