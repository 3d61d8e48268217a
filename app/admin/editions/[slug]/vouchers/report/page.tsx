import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DataTable } from "@/components/admin/data-table";
import { db } from "@/lib/db/prisma";
import { adminEditionPath } from "@/lib/http/paths";
import { formatMoney } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { voucherRedemptionReport, type Redemptions } from "@/lib/vouchers/report";
import { editionForPage } from "../../edition-for-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("voucherAdmin.report"))("title") };
}

export default async function VoucherReportPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params, "exports:read");
  const locale = await currentLocale();
  const t = await getTranslations("voucherAdmin.report");
  const report = await voucherRedemptionReport(db(), edition.id);
  const figures = <Row extends Redemptions>() => [
    { header: t("orders"), number: true, cell: (row: Row) => row.orders },
    { header: t("tickets"), number: true, cell: (row: Row) => row.tickets },
    {
      header: t("givenAway"),
      number: true,
      cell: (row: Row) => formatMoney(row.givenAwayCents, edition.currency, locale),
    },
  ];
  return (
    <>
      <h2>{t("title")}</h2>
      <p className="hint">{t("intro")}</p>
      <p>
        <a href={adminEditionPath(edition.slug, "vouchers")}>{t("back")}</a>
      </p>
      {report.byCode.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <>
          <h3>{t("byTag")}</h3>
          <DataTable
            caption={t("byTag")}
            testId="report-by-tag"
            rows={[...report.byTag, { ...report.total, tag: null, isTotal: true }]}
            rowKey={(row) => ("isTotal" in row ? "total" : (row.tag ?? ""))}
            columns={[
              {
                header: t("tag"),
                rowHeader: true,
                cell: (row) => ("isTotal" in row ? t("total") : (row.tag ?? t("noTag"))),
              },
              ...figures(),
            ]}
          />
          <h3>{t("byCode")}</h3>
          <DataTable
            caption={t("byCode")}
            testId="report-by-code"
            rows={report.byCode}
            rowKey={(row) => row.voucherId}
            columns={[
              { header: t("code"), rowHeader: true, cell: (row) => <code>{row.code}</code> },
              { header: t("tag"), cell: (row) => row.tag ?? t("noTag") },
              ...figures(),
            ]}
          />
        </>
      )}
    </>
  );
}
