import { getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { refundStateOf } from "@/lib/payments/refunds";

type Props = {
  refund: { amountCents: number; currency: string; status: string; stripeRefundId: string | null; method: string };
  retry: () => Promise<void>;
  failedNow: boolean;
};

/** Where the attendee's refund stands (Stripe's word, or the organisers' transfer); a retry if Stripe refused it. */
export async function RefundState({ refund, retry, failedNow }: Props) {
  const t = await getTranslations("refunds");
  const locale = await currentLocale();
  const { state, retryable } = refundStateOf(refund);
  return (
    <div className={retryable ? "notice" : undefined} role="status">
      <p>{t(`attendeeState.${state}`, { amount: formatMoney(refund.amountCents, refund.currency, locale) })}</p>
      {failedNow && retryable && <p>{t("retryFailed")}</p>}
      {retryable && (
        <form action={retry} className="inline-form">
          <button type="submit" className="button">
            {t("retry")}
          </button>
        </form>
      )}
    </div>
  );
}
