import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { OrderStatusRefresher } from "@/components/order-status-refresher";
import { Price } from "@/components/price";
import { TestModeNotice } from "@/components/test-mode-notice";
import { TicketQr } from "@/components/ticket-qr";
import { db } from "@/lib/db/prisma";
import { formatDateRange, formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { Link } from "@/lib/i18n/navigation";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { effectiveOrderStatus, getOrderByAccessToken } from "@/lib/orders/queries";
import { AttendeeDetailsForm, TransferForm } from "@/components/manage-forms";
import type { Locale } from "@/lib/i18n/locales";
import { localizedQuestionFields } from "@/lib/editions/question-fields";
import { answerFormValues, attendeeFormValues } from "@/lib/orders/registration-form";
import { selfServiceRights } from "@/lib/tickets/self-service";
import { cancelRegistration, payOrder, retryRefund, saveAttendeeDetails, transferToColleague } from "./actions";
import { RefundState } from "./refund-state";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; token: string }>; searchParams: Promise<{ checkout?: string; manage?: string }> };

// The link is private: keep it out of search engines and other sites' referrers.
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function OrderPage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { token } = await params;
  const { checkout, manage } = await searchParams;
  const order = await getOrderByAccessToken(db(), token);
  if (!order) notFound();
  const t = await getTranslations("order");
  const refunds = await getTranslations("refunds");
  const { edition } = order;
  const editionName = localized(edition, "name", locale);
  const status = effectiveOrderStatus(order, new Date());
  const reason = order.statusReason;
  const reasonText = !reason
    ? ""
    : t.has(`reason.${reason}`)
      ? t(`reason.${reason}`)
      : refunds.has(`orderReason.${reason}`)
        ? refunds(`orderReason.${reason}`)
        : "";
  const confirming = status === "PENDING" && checkout === "success";

  const banner = {
    CONFIRMED: { title: t("confirmedTitle"), text: t("confirmedText", { edition: editionName }), tone: "success" },
    PENDING: confirming
      ? { title: t("paymentReceivedTitle"), text: t("confirmingText"), tone: "info" }
      : {
          title: t("heldTitle"),
          text: t("heldText", { time: order.holdExpiresAt ? formatDateTime(order.holdExpiresAt, edition.timeZone, locale) : "" }),
          tone: "info",
        },
    EXPIRED: { title: t("expiredTitle"), text: reasonText || t("expiredText"), tone: "warning" },
    CANCELLED: {
      title: reason === "disputed" ? refunds("disputedTitle") : t("cancelledTitle"),
      text: reasonText,
      tone: "warning",
    },
    REFUNDED: { title: t("refundedTitle"), text: reasonText, tone: "warning" },
  }[status];

  return (
    <>
      <div className={`banner banner-${banner.tone}`} role="status">
        <h1>{banner.title}</h1>
        {banner.text && <p>{banner.text}</p>}
      </div>
      {confirming && <OrderStatusRefresher stillWaiting={t("stillConfirming")} />}
      {order.refund && (
        <RefundState
          refund={order.refund}
          retry={retryRefund.bind(null, token, locale)}
          failedNow={manage === "refund_failed"}
        />
      )}
      {status === "PENDING" && !confirming && (
        <>
          {checkout === "unavailable" && <p className="notice">{t("checkoutUnavailable")}</p>}
          {checkout === "closed" && <p className="notice">{t("checkoutClosed")}</p>}
          <form action={payOrder.bind(null, token, locale)} className="inline-form">
            <button type="submit" className="button">
              {t("payNow")}
            </button>
          </form>
          <TestModeNotice />
        </>
      )}
      {status === "CONFIRMED" &&
        order.tickets
          .filter((ticket) => ticket.status === "ACTIVE")
          .map((ticket) => <TicketQr key={ticket.id} ticket={ticket} holder={`${ticket.firstName} ${ticket.lastName}`} />)}
      <h2>{t("summary")}</h2>
      <dl className="summary">
        <div>
          <dt>{t("reference")}</dt>
          <dd className="reference">{order.reference}</dd>
        </div>
        <div>
          <dt>{t("status")}</dt>
          <dd>{t("statusValue", { status: confirming ? "CONFIRMING" : status })}</dd>
        </div>
        <div>
          <dt>{t("edition")}</dt>
          <dd>
            {editionName}
            <br />
            {formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale)}
            <br />
            {edition.venueName}, {edition.venueAddress}
          </dd>
        </div>
        {order.tickets.map((ticket) => (
          <div key={ticket.id}>
            <dt>{t("attendee")}</dt>
            <dd>
              {ticket.firstName} {ticket.lastName}
              {ticket.company && <> · {ticket.company}</>}
              <br />
              {ticket.email}
              <br />
              {t("ticketLine", { name: localized(ticket.ticketType, "name", locale) })}
            </dd>
          </div>
        ))}
        <div>
          <dt>{t("total")}</dt>
          <dd>
            <Price cents={order.amountCents} currency={order.currency} />
          </dd>
        </div>
      </dl>
      {status === "CONFIRMED" && <ManageRegistration order={order} token={token} locale={locale} notAllowed={manage === "not_allowed"} />}
      <p>
        <Link href={`/editions/${edition.slug}`}>← {t("backToEdition")}</Link>
      </p>
    </>
  );
}

type OrderWithEverything = NonNullable<Awaited<ReturnType<typeof getOrderByAccessToken>>>;

async function ManageRegistration({ order, token, locale, notAllowed }: { order: OrderWithEverything; token: string; locale: Locale; notAllowed: boolean }) {
  const t = await getTranslations("manage");
  const tRefusal = await getTranslations("refusal");
  const rights = selfServiceRights(order, new Date());
  const ticket = order.tickets.find((candidate) => candidate.status === "ACTIVE");
  const { edition } = order;
  if (!ticket) return null;
  const initialValues = { ...attendeeFormValues(ticket), ...answerFormValues(ticket.answers) };
  const questions = localizedQuestionFields(edition.questions, locale);
  const editDeadline = edition.editDeadline ?? edition.startsAt;
  const paid = order.amountCents > 0;
  return (
    <section className="manage" aria-labelledby="manage-title">
      <h2 id="manage-title">{t("title")}</h2>
      {notAllowed && <p className="notice">{tRefusal("not_allowed")}</p>}
      <p className="links">
        <a className="button button-secondary" href={`/${locale}/orders/${token}/ticket.pdf`} download>
          {t("downloadPdf")}
        </a>
        <a className="button button-secondary" href={`/${locale}/orders/${token}/calendar.ics`} download>
          {t("addToCalendar")}
        </a>
      </p>
      {rights.canEdit && (
        <details>
          <summary>{t("editTitle")}</summary>
          <p className="muted">{t("editHint", { date: formatDateTime(editDeadline, edition.timeZone, locale) })}</p>
          <AttendeeDetailsForm action={saveAttendeeDetails.bind(null, token, locale)} initialValues={initialValues} questions={questions} />
        </details>
      )}
      {rights.canTransfer && (
        <details>
          <summary>{t("transferTitle")}</summary>
          <p className="muted">{t("transferHint")}</p>
          <TransferForm action={transferToColleague.bind(null, token, locale)} />
        </details>
      )}
      {(rights.canCancelFree || rights.canCancelForRefund) && (
        <details>
          <summary>{t("cancelTitle")}</summary>
          <p className="muted">
            {paid
              ? t("cancelPaidHint", { amount: formatMoney(order.amountCents, order.currency, locale), date: formatDateTime(edition.refundDeadline!, edition.timeZone, locale) })
              : t("cancelFreeHint")}
          </p>
          <form action={cancelRegistration.bind(null, token, locale, paid)}>
            <button type="submit" className="button button-danger">
              {t("cancelConfirm")}
            </button>
          </form>
        </details>
      )}
    </section>
  );
}
