import { getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";

type Props = {
  refund: { amountCents: number; currency: string; status: string; stripeRefundId: string | null };
  retry: () => Promise<void>;
  failedNow: boolean;
};

/** Where the attendee's refund stands, Stripe's word for it, and a retry when Stripe refused it. */
export async function RefundState({ refund, retry, failedNow }: Props) {
  const t = await getTranslations("refunds");
  const locale = await currentLocale();
  const unsent = refund.status === "PENDING" && refund.stripeRefundId === null;
  const canRetry = unsent || refund.status === "FAILED" || refund.status === "CANCELED";
  const state = unsent ? "UNSENT" : refund.status;
  return (
    <div className={canRetry ? "notice" : undefined} role="status">
      <p>{t(`attendeeState.${state}`, { amount: formatMoney(refund.amountCents, refund.currency, locale) })}</p>
      {failedNow && <p>{t("retryFailed")}</p>}
      {canRetry && (
        <form action={retry} className="inline-form">
          <button type="submit" className="button">
            {t("retry")}
          </button>
        </form>
      )}
    </div>
  );
}
