import { getTranslations } from "next-intl/server";
import { formatDateTime, formatMoney } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";

type Document = {
  id: string;
  kind: "invoice" | "credit_note";
  number: string;
  issuedAt: Date;
  includingVatCents: number;
  currency: string;
};

/** An order's invoices and credit notes, each as its Factur-X PDF and its XML alone; nothing for an individual. */
export async function OrderInvoices({
  documents,
  hrefOf,
  locale,
  timeZone,
}: {
  documents: Document[];
  hrefOf: (number: string, format?: "xml") => string;
  locale: Locale;
  timeZone: string;
}) {
  if (documents.length === 0) return null;
  const t = await getTranslations({ locale, namespace: "orderInvoices" });
  return (
    <section aria-labelledby="order-invoices">
      <h2 id="order-invoices">{t("title")}</h2>
      <ul>
        {documents.map((document) => (
          <li key={document.id}>
            {t(document.kind === "invoice" ? "invoice" : "creditNote", { number: document.number })} ·{" "}
            {formatDateTime(document.issuedAt, timeZone, locale)} ·{" "}
            {formatMoney(document.includingVatCents, document.currency, locale)} ·{" "}
            <a href={hrefOf(document.number)} download>
              {t("pdf")}
            </a>{" "}
            ·{" "}
            <a href={hrefOf(document.number, "xml")} download>
              {t("xml")}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
