import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { DataTable } from "@/components/admin/data-table";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { adminInvoiceLedgerPath, adminOrderInvoicePath, adminOrderPath } from "@/lib/http/paths";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { SERIES_TIME_ZONE } from "@/lib/invoices/issue";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("invoiceLedger"))("title") };
}

// The page lists the latest; the export (a cursor) has every one.
const SHOWN = 200;

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<{ edition?: string }> }) {
  await requirePermission("exports:read");
  const locale = await currentLocale();
  const t = await getTranslations("invoiceLedger");
  const editions = await db().edition.findMany({
    orderBy: { startsAt: "desc" },
    select: { id: true, slug: true, nameFr: true, nameEn: true },
  });
  const { edition: slug } = await searchParams;
  const chosen = editions.find((edition) => edition.slug === slug) ?? null;
  const documents = await db().invoice.findMany({
    where: chosen ? { order: { editionId: chosen.id } } : {},
    orderBy: [{ year: "desc" }, { sequence: "desc" }],
    take: SHOWN,
    select: {
      id: true,
      kind: true,
      number: true,
      issuedAt: true,
      includingVatCents: true,
      currency: true,
      order: { select: { reference: true, edition: { select: { slug: true, nameFr: true, nameEn: true } } } },
    },
  });
  const exportHref = adminInvoiceLedgerPath({ edition: chosen?.slug });
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <form method="get" className="inline-form filter-row">
        <label htmlFor="invoice-edition">{t("editionFilter")}</label>
        <select id="invoice-edition" name="edition" defaultValue={chosen?.slug ?? ""}>
          <option value="">{t("allEditions")}</option>
          {editions.map((edition) => (
            <option key={edition.id} value={edition.slug}>
              {localized(edition, "name", locale)}
            </option>
          ))}
        </select>
        <button type="submit">{t("show")}</button>
      </form>
      <p>
        <a href={exportHref} download>
          {t("export")}
        </a>
      </p>
      {documents.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <>
          {documents.length === SHOWN && <p>{t("latest", { count: SHOWN })}</p>}
          <DataTable
            caption={t("caption")}
            rows={documents}
            rowKey={(document) => document.id}
            columns={[
              { header: t("number"), rowHeader: true, cell: (document) => document.number },
              { header: t("kind"), cell: (document) => t(document.kind === "invoice" ? "invoice" : "creditNote") },
              { header: t("date"), cell: (document) => formatDateTime(document.issuedAt, SERIES_TIME_ZONE, locale) },
              { header: t("edition"), cell: (document) => localized(document.order.edition, "name", locale) },
              {
                header: t("order"),
                cell: (document) => (
                  <Link href={adminOrderPath(document.order.edition.slug, document.order.reference)}>
                    {document.order.reference}
                  </Link>
                ),
              },
              {
                header: t("includingVat"),
                number: true,
                cell: (document) => formatMoney(document.includingVatCents, document.currency, locale),
              },
              {
                header: t("files"),
                cell: (document) => {
                  const path = (format?: "xml") =>
                    adminOrderInvoicePath(
                      document.order.edition.slug,
                      document.order.reference,
                      document.number,
                      format,
                    );
                  return (
                    <>
                      <a href={path()} download>
                        PDF
                      </a>{" "}
                      ·{" "}
                      <a href={path("xml")} download>
                        XML
                      </a>
                    </>
                  );
                },
              },
            ]}
          />
        </>
      )}
    </>
  );
}
