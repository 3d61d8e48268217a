import { cursorRows } from "@/lib/db/cursor";
import type { Db } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { byteStream } from "@/lib/http/byte-stream";
import type { Locale } from "@/lib/i18n/locales";
import { localized } from "@/lib/i18n/format";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";
import { VAT_RATES_BASIS_POINTS } from "@/lib/money/vat-rates";
import { csvLines } from "./csv";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { createTranslator } from "next-intl";

type LedgerRow = {
  kind: "invoice" | "credit_note";
  document: Prisma.JsonValue;
  reference: string;
  nameFr: string;
  nameEn: string;
};

// Amounts as numbers (a spreadsheet sums them; a text "-8.17" would be neutralised as a formula), a credit note's
// negative.
const amount = (cents: number, sign: number) => (sign * cents) / 100;

/**
 * The accountant's export: every invoice and credit note, in the series' order, of one edition or of all:
 * number, kind, date (Paris), edition, order, buyer and its SIREN and VAT number, the base and VAT of each rate,
 * and the totals; credit notes negative, so that a column's sum is what was earned. Read through a cursor.
 */
export function invoiceLedgerCsv(db: Db, { editionId, locale }: { editionId: string | null; locale: Locale }) {
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "invoiceLedger" });
  const rate = (basis: number) => `${basis / 100} %`;
  const header = [
    t("number"),
    t("kind"),
    t("date"),
    t("edition"),
    t("order"),
    t("buyer"),
    t("siren"),
    t("vatNumber"),
    t("currency"),
    ...VAT_RATES_BASIS_POINTS.flatMap((basis) => [t("base", { rate: rate(basis) }), t("vat", { rate: rate(basis) })]),
    t("excludingVat"),
    t("totalVat"),
    t("includingVat"),
  ];
  const query = Prisma.sql`SELECT i.kind::text AS kind, i.document, o.reference, e."nameFr", e."nameEn"
    FROM "Invoice" i JOIN "Order" o ON o.id = i."orderId" JOIN "Edition" e ON e.id = o."editionId"
    WHERE ${editionId === null ? Prisma.sql`TRUE` : Prisma.sql`e.id = ${editionId}::uuid`}
    ORDER BY i.year, i.sequence`;
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" });
  async function* rows() {
    for await (const row of cursorRows<LedgerRow>(db, query)) {
      const document = storedInvoiceDocument(row.document);
      const sign = row.kind === "credit_note" ? -1 : 1;
      const byRate = new Map(document.totals.byRate.map((part) => [part.vatRateBasisPoints, part]));
      yield [
        document.number,
        t(row.kind === "invoice" ? "invoice" : "creditNote"),
        day.format(document.issuedAt),
        localized(row, "name", locale),
        row.reference,
        document.buyer.name,
        document.buyer.siren,
        document.buyer.vatNumber,
        document.currency,
        ...VAT_RATES_BASIS_POINTS.flatMap((basis) => {
          const part = byRate.get(basis);
          return part ? [amount(part.excludingVatCents, sign), amount(part.vatCents, sign)] : [null, null];
        }),
        amount(document.totals.excludingVatCents, sign),
        amount(document.totals.vatCents, sign),
        amount(document.totals.includingVatCents, sign),
      ];
    }
  }
  return byteStream(csvLines(header, rows()));
}
