import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import { absoluteUrl, editionWithCodePath } from "@/lib/http/paths";
import { byteStream } from "@/lib/http/byte-stream";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { describeEffect } from "@/lib/vouchers/describe";
import { listVouchers } from "@/lib/vouchers/list";
import { csvLines } from "./csv";

type EditionToExport = { id: string; slug: string; timeZone: string; currency: string };

/**
 * The edition's codes (all, or one tag's) as a CSV for whoever hands them out: each code with its tag, effect, ticket
 * types, uses, uses left, uses per order (empty: up to the uses left), end of validity (wall-clock in the edition's
 * zone) and the link that opens the edition's page with the code filled in, in `locale` (the page's language and the
 * file's). Cells are neutralised against formulas (csv.ts).
 */
export async function exportVouchersCsv(
  db: Db,
  { edition, tag, locale, appUrl }: { edition: EditionToExport; tag?: string; locale: Locale; appUrl: string },
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; filename: string }> {
  const messages = locale === "fr" ? fr : en;
  const t = createTranslator({ locale, messages, namespace: "voucherAdmin" });
  const [vouchers, types] = await Promise.all([
    listVouchers(db, edition.id, { tag }),
    db.ticketType.findMany({ where: { editionId: edition.id }, select: { id: true, nameFr: true, nameEn: true } }),
  ]);
  const typeNames = new Map(types.map((type) => [type.id, localized(type, "name", locale)]));
  const header = [
    "code",
    "tag",
    "effect",
    "types",
    "uses",
    "usesLeft",
    "usesPerOrder",
    "validUntil",
    "link",
    "active",
  ] as const;
  async function* rows() {
    for (const voucher of vouchers) {
      yield [
        voucher.code,
        voucher.tag,
        describeEffect(t, voucher, edition.currency, locale),
        voucher.ticketTypes.length === 0
          ? t("allTypes")
          : voucher.ticketTypes.map((link) => typeNames.get(link.ticketTypeId)).join(", "),
        voucher.used,
        voucher.maxUses - voucher.used,
        voucher.maxUsesPerOrder,
        voucher.validUntil ? utcToZonedLocal(voucher.validUntil, edition.timeZone).replace("T", " ") : null,
        absoluteUrl(appUrl, editionWithCodePath(locale, edition.slug, voucher.code)),
        t(voucher.active ? "csv.yes" : "csv.no"),
      ];
    }
  }
  const body = byteStream(
    csvLines(
      header.map((column) => t(`csv.${column}`)),
      rows(),
    ),
  );
  const name = tag ? `${edition.slug}-codes-${tag}` : `${edition.slug}-codes`;
  return { body, contentType: "text/csv; charset=utf-8", filename: `${name}.csv` };
}
