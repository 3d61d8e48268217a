import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { OrderStatusRefresher } from "@/components/order-status-refresher";
import { EditionFact } from "@/components/order/edition-fact";
import { TransferInstructions } from "@/components/order/transfer-instructions";
import { TestModeNotice } from "@/components/test-mode-notice";
import { db } from "@/lib/db/prisma";
import { payQuotePath } from "@/lib/http/paths";
import { formatDateTime, formatMoney } from "@/lib/i18n/format";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { effectiveOrderStatus, getOrderByPayToken } from "@/lib/orders/queries";
import { transferDetailsOf } from "@/lib/payments/transfer-details";
import { payByCard } from "./actions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ locale: string; payToken: string }>;
  searchParams: Promise<{ checkout?: string }>;
};

// The link is private: keep it out of search engines and other sites' referrers.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations({ locale, namespace: "transferPayment" });
  return { title: t("payPageTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

/**
 * The page a buyer forwards to whoever pays a transfer order (an accounts department): the quote and the bank
 * details, or a card payment instead; once paid or lapsed, only that. Its token opens nothing else of the order.
 */
export default async function PayPage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { payToken } = await params;
  const { checkout } = await searchParams;
  const order = await getOrderByPayToken(db(), payToken);
  if (!order) notFound();
  const t = await getTranslations("transferPayment");
  const tOrder = await getTranslations("order");
  const status = effectiveOrderStatus(order, new Date());
  const confirming = status === "PENDING" && checkout === "success";
  const transfer = confirming ? null : await transferDetailsOf(db(), order, new Date());
  const { edition } = order;
  const amount = formatMoney(order.amountCents, order.currency, locale);

  return (
    <>
      <h1>{t("payPageHeading", { reference: order.reference })}</h1>
      <dl className="summary">
        <EditionFact label={tOrder("edition")} edition={edition} locale={locale} />
        {order.billing && (
          <div>
            <dt>{t("organisation")}</dt>
            <dd>{order.billing.organisation}</dd>
          </div>
        )}
        <div>
          <dt>{t("amount")}</dt>
          <dd>{amount}</dd>
        </div>
      </dl>
      {confirming && (
        <div className="banner banner-info" role="status">
          <p>{tOrder("confirmingText")}</p>
          <OrderStatusRefresher stillWaiting={tOrder("stillConfirming")} />
        </div>
      )}
      {status === "CONFIRMED" && (
        <p className="banner banner-success" role="status">
          {t("paidText")}
        </p>
      )}
      {status !== "PENDING" && status !== "CONFIRMED" && (
        <p className="banner banner-warning" role="status">
          {order.holdExpiresAt && status === "EXPIRED"
            ? t("lapsedText", { time: formatDateTime(order.holdExpiresAt, edition.timeZone, locale) })
            : t("closedText")}
        </p>
      )}
      {transfer && (
        <>
          {checkout === "unavailable" && <p className="notice">{tOrder("checkoutUnavailable")}</p>}
          {checkout === "closed" && <p className="notice">{tOrder("checkoutClosed")}</p>}
          {checkout === "back" && <p className="notice">{t("cardAbandoned")}</p>}
          <p>{t("payPageText", { amount })}</p>
          <TransferInstructions details={transfer} quoteHref={payQuotePath(locale, payToken)} locale={locale} />
          <h2>{t("cardTitle")}</h2>
          <p>{t("cardText")}</p>
          <form action={payByCard.bind(null, payToken, locale)} className="inline-form">
            <button type="submit" className="button secondary">
              {t("payByCardInstead")}
            </button>
          </form>
          <TestModeNotice />
        </>
      )}
    </>
  );
}
