import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import type { EditionDashboard } from "@/lib/reports/dashboard";
import { formatDateTime, formatMoney } from "@/lib/i18n/format";
import { markTransferRefundSentAction, retryRefundAction } from "./refund-actions";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminAttendeePath } from "@/lib/http/paths";
import { refundStateOf } from "@/lib/payments/refunds";

type Props = {
  edition: { id: string; slug: string; timeZone: string };
  refunds: EditionDashboard["refundsNeedingAttention"];
  orphans: EditionDashboard["orphanPayments"];
};

/** Money that should go back and has not yet, and payments we could not keep: organisers follow them up here. */
export async function RefundsToFollow({ edition, refunds, orphans }: Props) {
  const t = await getTranslations("refunds");
  const locale = await currentLocale();
  const firstAttendeePath = (refund: Props["refunds"][number]) =>
    adminAttendeePath(edition.slug, refund.order.tickets[0]?.id ?? "");
  return (
    <section className="notice" aria-labelledby="refunds-title">
      <h2 id="refunds-title">{t("dashboardTitle", { count: refunds.length })}</h2>
      <p>{t("dashboardIntro")}</p>
      <ul data-testid="refunds-to-follow">
        {refunds.map((refund) => (
          <li key={refund.id}>
            <a href={firstAttendeePath(refund)}>{refund.order.reference}</a> ·{" "}
            {formatMoney(refund.amountCents, refund.currency, locale)} · {t(`status.${refundStateOf(refund).state}`)}
            {refund.lastError && ` · ${refund.lastError}`}
            {refundStateOf(refund).state === "TO_SEND" && (
              <ActionButton
                action={markTransferRefundSentAction}
                hidden={{ editionId: edition.id, editionSlug: edition.slug, refundId: refund.id }}
                label={t("markTransferSent")}
              />
            )}
          </li>
        ))}
      </ul>
      {orphans.length > 0 && (
        <>
          <h3 className="subsection">{t("orphansTitle")}</h3>
          <p>{t("orphansIntro")}</p>
          <ul data-testid="orphan-payments">
            {orphans.map((orphan) => (
              <li key={orphan.id}>
                {formatDateTime(orphan.createdAt, edition.timeZone, locale)} · {orphan.order?.reference} ·{" "}
                {t(`orphanReason.${orphan.reason}`)} · {formatMoney(orphan.amountCents, orphan.currency, locale)} ·{" "}
                {t(`status.${refundStateOf(orphan).state}`)}
                {orphan.lastError && ` · ${orphan.lastError}`}
                {refundStateOf(orphan).retryable && (
                  <ActionButton
                    action={retryRefundAction}
                    hidden={{ editionId: edition.id, editionSlug: edition.slug, orphanPaymentId: orphan.id }}
                    label={t("retry")}
                  />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
