import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DataTable } from "@/components/admin/data-table";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { adminOrderPath, adminTransfersPath } from "@/lib/http/paths";
import { formatDateTime, formatMoney } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { reviewImport, type LineReview } from "@/lib/payments/statement-import";
import { bookedDay } from "@/components/admin/booked-day";
import { ConfirmImport } from "../../confirm-import";
import { skippedReason } from "../../skipped-lines";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("transferAdmin"))("title") };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Imports belong to no edition: shown in Paris time, where the organisers are.
const IMPORTS_TIME_ZONE = "Europe/Paris";
// A bank's label fits in a table cell; a longer one is cut, as the bank's own site has it in full.
const SHOWN_TEXT_LENGTH = 200;
const shortened = (text: string) =>
  text.length > SHOWN_TEXT_LENGTH ? `${text.slice(0, SHOWN_TEXT_LENGTH).trimEnd()}…` : text;

/** One imported statement: each credit with what it matched, and the one button that confirms the matched orders. */
export default async function StatementImportPage({ params }: { params: Promise<{ importId: string }> }) {
  await requirePermission("orders:manage");
  const { importId } = await params;
  if (!UUID.test(importId)) notFound();
  const review = await reviewImport(db(), importId);
  if (!review) notFound();
  const locale = await currentLocale();
  const t = await getTranslations("transferAdmin");
  const when = (date: Date) => formatDateTime(date, IMPORTS_TIME_ZONE, locale);
  const money = (cents: number, currency: string) => formatMoney(cents, currency, locale);
  const outcomeText = (reviewed: LineReview) => {
    const currency = reviewed.line.currency;
    switch (reviewed.outcome) {
      case "matched":
        return t(reviewed.order?.status === "EXPIRED" ? "outcome.matchedLate" : "outcome.matched");
      case "overpaid":
        return t("outcome.overpaid", { extra: money(reviewed.extraCents, currency) });
      case "partial":
        return t("outcome.partial", { missing: money(reviewed.missingCents, currency) });
      case "recorded":
        return t("outcome.recorded", { who: reviewed.recordedBy, when: when(reviewed.recordedAt) });
      default:
        return t(`outcome.${reviewed.outcome}`);
    }
  };
  const tone: Record<LineReview["outcome"], string> = {
    matched: "status-confirmed",
    overpaid: "status-confirmed",
    partial: "status-pending",
    recorded: "status-draft",
    unknown: "status-draft",
    already_paid: "status-refunded",
    not_awaiting: "status-refunded",
    duplicate: "status-refunded",
    wrong_currency: "status-refunded",
  };
  return (
    <>
      <p>
        <Link href={adminTransfersPath()}>{t("review.back")}</Link>
      </p>
      <h1>{t("review.title", { file: review.fileName })}</h1>
      <p className="muted">
        {t("review.intro", { when: when(review.uploadedAt), who: review.uploadedBy })}{" "}
        {review.confirmedAt && t("review.confirmedAt", { when: when(review.confirmedAt) })}
      </p>
      <DataTable
        caption={t("review.caption")}
        showCaption
        rows={review.lines}
        rowKey={(reviewed) => reviewed.line.id}
        columns={[
          { header: t("review.date"), cell: (reviewed) => bookedDay(reviewed.line.bookedOn, locale) },
          {
            header: t("review.amount"),
            number: true,
            cell: (reviewed) => money(reviewed.line.amountCents, reviewed.line.currency),
          },
          {
            header: t("review.payer"),
            cell: (reviewed) => shortened([reviewed.line.payer, reviewed.line.text].filter(Boolean).join(" · ")),
          },
          { header: t("review.reference"), cell: (reviewed) => shortened(reviewed.line.references.join(", ")) },
          {
            header: t("review.order"),
            rowHeader: true,
            cell: (reviewed) =>
              reviewed.order ? (
                <Link href={adminOrderPath(reviewed.order.editionSlug, reviewed.order.reference)}>
                  {reviewed.order.reference}
                </Link>
              ) : (
                "—"
              ),
          },
          {
            header: t("review.outcome"),
            cell: (reviewed) => <span className={`badge ${tone[reviewed.outcome]}`}>{outcomeText(reviewed)}</span>,
          },
        ]}
      />
      {review.skipped.length > 0 && (
        <section aria-labelledby="skipped-title">
          <h2 id="skipped-title">{t("skipped.title", { count: review.skipped.length })}</h2>
          <p className="muted">{t("skipped.help")}</p>
          <DataTable
            caption={t("skipped.caption")}
            rows={review.skipped.map((skipped, index) => ({ ...skipped, key: String(index) }))}
            rowKey={(skipped) => skipped.key}
            columns={[
              {
                header: t("skipped.lineNumber"),
                number: true,
                rowHeader: true,
                cell: (skipped) => skipped.line ?? "—",
              },
              { header: t("skipped.why"), cell: (skipped) => skippedReason(t, skipped) },
            ]}
          />
        </section>
      )}
      <ConfirmImport importId={review.id} count={review.confirmable} />
    </>
  );
}
