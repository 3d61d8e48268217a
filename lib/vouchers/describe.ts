import { formatMoney } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { Voucher } from "@/lib/generated/prisma/client";

type EffectWords = (key: `effect.${Voucher["effect"]}`, values: Record<string, string | number>) => string;

/** What a voucher does, in words ("20 % off", "€10.00 per ticket"): the list, the export. `t`: voucherAdmin's. */
export function describeEffect(
  t: EffectWords,
  voucher: Pick<Voucher, "effect" | "percentOff" | "amountCents">,
  currency: string,
  locale: Locale,
): string {
  return t(`effect.${voucher.effect}`, {
    percent: voucher.percentOff ?? 0,
    amount: formatMoney(voucher.amountCents ?? 0, currency, locale),
  });
}
