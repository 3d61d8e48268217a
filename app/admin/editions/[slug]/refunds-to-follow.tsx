import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { bookedDay } from "@/components/admin/booked-day";
import type { Locale } from "@/lib/i18n/locales";
import { utcToZonedLocal } from "@/lib/time/zoned";
import type { EditionDashboard } from "@/lib/reports/dashboard";
import { formatDateTime, formatMoney, zoneName } from "@/lib/i18n/format";
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
              <TransferRefundToSend edition={edition} refund={refund} locale={locale} />
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

/**
 * A refund the organiser sends from their bank: whom to and the payment it goes back to (as the bank statement named
 * its payer), then the day it was sent, confirmed before it is marked.
 */
async function TransferRefundToSend({
  edition,
  refund,
  locale,
}: {
  edition: Props["edition"];
  refund: Props["refunds"][number];
  locale: Locale;
}) {
  const t = await getTranslations("refunds.transferRefund");
  const { order } = refund;
  const payment = order.transferPayment;
  const amount = formatMoney(refund.amountCents, refund.currency, locale);
  const buyer = `${order.buyerFirstName} ${order.buyerLastName}`;
  return (
    <div className="transfer-refund">
      <dl className="facts">
        <div>
          <dt>{t("payee")}</dt>
          <dd>{order.billing ? `${order.billing.organisation} · ${buyer}` : buyer}</dd>
        </div>
        {payment && (
          <div>
            <dt>{t("payment")}</dt>
            <dd>
              {t("received", {
                amount: formatMoney(payment.amountCents, payment.currency, locale),
                day: bookedDay(payment.receivedOn, locale),
              })}{" "}
              · {payment.payer ? t("payer", { payer: payment.payer }) : t("byHand")}
            </dd>
          </div>
        )}
      </dl>
      <AdminForm
        action={markTransferRefundSentAction}
        hidden={{ editionId: edition.id, editionSlug: edition.slug, refundId: refund.id }}
        idPrefix={`refund-sent-${refund.id}`}
        submitLabel={t("submit", { amount })}
        confirm={t("confirm", { amount, reference: order.reference })}
        fields={[
          {
            name: "sentOn",
            label: t("sentOn"),
            type: "date",
            required: true,
            hint: t("sentOnHint", { zone: zoneName(edition.timeZone, locale) }),
            defaultValue: utcToZonedLocal(new Date(), edition.timeZone).slice(0, 10),
          },
        ]}
      />
    </div>
  );
}
