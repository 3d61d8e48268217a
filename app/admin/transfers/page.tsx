import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { DataTable } from "@/components/admin/data-table";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { adminOrderPath, adminStatementImportPath, adminTransfersPath } from "@/lib/http/paths";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { awaitingTransfers, MAX_STATEMENT_BYTES, recentImports } from "@/lib/payments/statement-import";
import { StatementUpload } from "./statement-upload";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("transferAdmin"))("title") };
}

const PAGE_SIZE = 50;
// Imports belong to no edition: shown in Paris time, where the organisers are (as the invoicing settings' history).
const IMPORTS_TIME_ZONE = "Europe/Paris";
const RECENT_IMPORTS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every edition's orders awaiting a transfer, soonest deadline first, and the bank statements that pay them. */
export default async function TransfersPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  await requirePermission("orders:manage");
  const locale = await currentLocale();
  const t = await getTranslations("transferAdmin");
  const { after } = await searchParams;
  const cursor = typeof after === "string" && UUID.test(after) ? after : null;
  const [{ orders, next }, imports] = await Promise.all([
    awaitingTransfers(db(), { take: PAGE_SIZE, after: cursor }),
    recentImports(db(), RECENT_IMPORTS),
  ]);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <div className="admin-columns">
        <section aria-labelledby="awaiting-title">
          <h2 id="awaiting-title">{t("list.title")}</h2>
          {orders.length === 0 ? (
            <p>{t("list.none")}</p>
          ) : (
            <DataTable
              caption={t("list.caption")}
              rows={orders}
              rowKey={(order) => order.id}
              columns={[
                { header: t("list.edition"), cell: (order) => localized(order.edition, "name", locale) },
                {
                  header: t("list.order"),
                  rowHeader: true,
                  cell: (order) => (
                    <Link href={adminOrderPath(order.edition.slug, order.reference)}>{order.reference}</Link>
                  ),
                },
                {
                  header: t("list.buyer"),
                  cell: (order) => (order.organisation ? `${order.organisation} (${order.buyer})` : order.buyer),
                },
                {
                  header: t("list.amount"),
                  number: true,
                  cell: (order) => formatMoney(order.amountCents, order.currency, locale),
                },
                {
                  header: t("list.deadline"),
                  cell: (order) => formatDateTime(order.deadline, order.edition.timeZone, locale),
                },
                { header: t("list.reminders"), number: true, cell: (order) => order.remindersSent },
              ]}
            />
          )}
          <p className="button-row">
            {cursor && <Link href={adminTransfersPath()}>{t("list.first")}</Link>}
            {next && <Link href={adminTransfersPath({ after: next })}>{t("list.next")}</Link>}
          </p>
        </section>
        <aside>
          <section aria-labelledby="upload-title">
            <h2 id="upload-title">{t("upload.title")}</h2>
            <StatementUpload maxBytes={MAX_STATEMENT_BYTES} />
          </section>
          {imports.length > 0 && (
            <section aria-labelledby="imports-title">
              <h2 id="imports-title">{t("upload.recent")}</h2>
              <ul>
                {imports.map((row) => (
                  <li key={row.id}>
                    <Link href={adminStatementImportPath(row.id)}>
                      {t("upload.recentEntry", {
                        file: row.fileName,
                        lines: row.lines,
                        who: row.uploadedBy,
                      })}
                    </Link>{" "}
                    <span className="muted">
                      · {formatDateTime(row.uploadedAt, IMPORTS_TIME_ZONE, locale)} ·{" "}
                      {t(
                        row.confirmedAt
                          ? "upload.confirmed"
                          : row.nothingToConfirm
                            ? "upload.nothingToConfirm"
                            : "upload.notConfirmed",
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
    </>
  );
}
