import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { OrderStatusRefresher } from "@/components/order-status-refresher";
import { Price } from "@/components/price";
import { TestModeNotice } from "@/components/test-mode-notice";
import { TicketQr } from "@/components/ticket-qr";
import { db } from "@/lib/db/prisma";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { formatRate } from "@/lib/i18n/money";
import { receiptVat } from "@/lib/invoices/vat";
import { Link } from "@/lib/i18n/navigation";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { effectiveOrderStatus, getOrderByAccessToken, isSoloOrder } from "@/lib/orders/queries";
import { AttendeeDetailsForm, TransferForm } from "@/components/manage-forms";
import type { Locale } from "@/lib/i18n/locales";
import { localizedQuestionFields } from "@/lib/editions/question-fields";
import { answerFormValues, attendeeFormValues } from "@/lib/orders/registration-form";
import { selfServiceRights } from "@/lib/tickets/self-service";
import { recordStanding, ticketStanding } from "@/lib/tickets/standing";
import { holderName } from "@/lib/orders/holder";
import { ResendTicket } from "@/components/order/resend-ticket";
import {
  askOrderErasure,
  cancelRegistration,
  cancelTicket,
  emailOrderData,
  payOrder,
  resendTicket,
  retryRefund,
  saveAttendeeDetails,
  transferToColleague,
} from "./actions";
import { OrderTickets } from "./order-tickets";
import { RefundState } from "./refund-state";
import { CancelTicket } from "@/components/order/cancel-ticket";
import {
  absoluteUrl,
  orderCertificatePath,
  orderFilePath,
  orderInvoicePath,
  orderQuotePath,
  payPath,
} from "@/lib/http/paths";
import { env } from "@/lib/env";
import { refundStateOf } from "@/lib/payments/refunds";
import { transferDetailsOf } from "@/lib/payments/transfer-details";
import { ForwardToPayer, TransferInstructions } from "@/components/order/transfer-instructions";
import { OrderInvoices } from "@/components/order/order-invoices";
import { orderInvoices } from "@/lib/orders/invoices";
import { FileLinks } from "@/components/order/file-links";
import { EditionFact } from "@/components/order/edition-fact";
import { CertificateLinks } from "@/components/order/certificate-links";
import { certificateEligibility, certificateRuleSettings } from "@/lib/certificates/eligible";
import { appNow } from "@/lib/time/clock";
import { DataRights } from "@/components/privacy/data-rights";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ locale: string; token: string }>;
  searchParams: Promise<{ checkout?: string; manage?: string; ticket?: string; refusal?: string; privacy?: string }>;
};

// The link is private: keep it out of search engines and other sites' referrers.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const order = await getOrderByAccessToken(db(), (await params).token);
  const t = await getTranslations({ locale, namespace: "attendeeEdges.title" });
  const edition = order ? localized(order.edition, "name", locale) : "";
  const confirmed = order !== null && effectiveOrderStatus(order, appNow()) === "CONFIRMED";
  const title = order ? t(confirmed ? "ticket" : "order", { edition }) : undefined;
  return { title, robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function OrderPage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { token } = await params;
  const { checkout, manage, ticket: refusedTicket, refusal, privacy } = await searchParams;
  const order = await getOrderByAccessToken(db(), token);
  if (!order) notFound();
  const t = await getTranslations("order");
  const refunds = await getTranslations("refunds");
  const edges = await getTranslations("attendeeEdges");
  const group = await getTranslations("groupTicket");
  const receipt = await getTranslations("email");
  const tCode = await getTranslations("voucherCheckout");
  const money = (cents: number) => formatMoney(cents, order.currency, locale);
  const self = await getTranslations("ticketSelfService");
  const { edition } = order;
  const invoices = await orderInvoices(db(), order.id);
  const editionName = localized(edition, "name", locale);
  const status = effectiveOrderStatus(order, appNow());
  const tTransfer = await getTranslations("transferPayment");
  const transfer = await transferDetailsOf(db(), order, appNow());
  const lapsedTransfer = status === "EXPIRED" && order.paymentMethod === "TRANSFER" && order.holdExpiresAt;
  const reason = order.statusReason;
  const reasonText = !reason
    ? ""
    : t.has(`reason.${reason}`)
      ? t(`reason.${reason}`)
      : refunds.has(`orderReason.${reason}`)
        ? refunds(`orderReason.${reason}`)
        : self.has(`orderReason.${reason}`)
          ? self(`orderReason.${reason}`)
          : "";
  const confirming = status === "PENDING" && checkout === "success";
  const paidAndConfirmed = status === "CONFIRMED" && order.amountCents > 0;
  // A group's buyer sees its tickets listed below, each with its own state and actions.
  const solo = isSoloOrder(order);
  const answers = answersAsRead(
    solo ? order.tickets[0].answers : {},
    localizedQuestionFields(edition.questions, locale),
    {
      yes: edges("yes"),
      no: edges("no"),
      none: edges("noAnswer"),
    },
  );

  const banner = {
    CONFIRMED: { title: t("confirmedTitle"), text: t("confirmedText", { edition: editionName }), tone: "success" },
    PENDING: confirming
      ? { title: t("paymentReceivedTitle"), text: t("confirmingText"), tone: "info" }
      : transfer
        ? {
            title: tTransfer("awaitingTitle"),
            text: tTransfer("awaitingText", { time: formatDateTime(transfer.deadline, edition.timeZone, locale) }),
            tone: "info",
          }
        : {
            title: t("heldTitle"),
            text: t("heldText", {
              time: order.holdExpiresAt ? formatDateTime(order.holdExpiresAt, edition.timeZone, locale) : "",
            }),
            tone: "info",
          },
    EXPIRED: {
      title: t("expiredTitle"),
      text: lapsedTransfer
        ? tTransfer("lapsedText", { time: formatDateTime(lapsedTransfer, edition.timeZone, locale) })
        : reasonText || t("expiredText"),
      tone: "warning",
    },
    CANCELLED: {
      title: reason === "disputed" ? refunds("disputedTitle") : t("cancelledTitle"),
      text: reasonText,
      tone: "warning",
    },
    REFUNDED: {
      // The organisers have yet to send a transfer back: the money is not there yet.
      title: order.refunds.some((refund) => refundStateOf(refund).state === "TO_SEND")
        ? refunds("transferToSendTitle")
        : t("refundedTitle"),
      text: reasonText,
      tone: "warning",
    },
  }[status];

  return (
    <>
      <div className={`banner banner-${banner.tone}`} role="status">
        <h1>{banner.title}</h1>
        {banner.text && <p>{banner.text}</p>}
      </div>
      {status === "CONFIRMED" && order.tickets[0] && (
        <p className="emailed">
          {solo
            ? edges("emailedTo", { email: order.tickets[0].email ?? order.buyerEmail })
            : group("orderEmailedTo", { email: order.buyerEmail })}
        </p>
      )}
      {confirming && <OrderStatusRefresher stillWaiting={t("stillConfirming")} />}
      {order.refunds.map((refund) => (
        <RefundState
          key={refund.id}
          refund={refund}
          retry={retryRefund.bind(null, token, locale)}
          failedNow={manage === "refund_failed"}
        />
      ))}
      {status === "PENDING" && !confirming && (
        <>
          {checkout === "unavailable" && <p className="notice">{t("checkoutUnavailable")}</p>}
          {checkout === "closed" && <p className="notice">{t("checkoutClosed")}</p>}
          {transfer && order.payToken && (
            <>
              <TransferInstructions details={transfer} quoteHref={orderQuotePath(locale, token)} locale={locale} />
              <ForwardToPayer
                url={absoluteUrl(env().APP_URL, payPath(locale, order.payToken))}
                reference={order.reference}
                locale={locale}
              />
            </>
          )}
          <form action={payOrder.bind(null, token, locale)} className="inline-form">
            <button type="submit" className={transfer ? "button secondary" : "button"}>
              {transfer ? tTransfer("payByCardInstead") : t("payNow")}
            </button>
          </form>
          <TestModeNotice />
        </>
      )}
      {status === "CONFIRMED" &&
        solo &&
        order.tickets
          .filter((ticket) => ticketStanding(ticket, order) === "valid")
          .map((ticket) => (
            <TicketQr key={ticket.id} ticket={ticket} holder={`${ticket.firstName} ${ticket.lastName}`} />
          ))}
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
        <EditionFact label={t("edition")} edition={edition} locale={locale} />
        {(solo ? order.tickets : []).map((ticket) => (
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
        {codeLines(order.tickets).map((line) => (
          <div key={line.key}>
            <dt>{tCode("orderLine", { type: localized(line.ticketType, "name", locale), count: line.count })}</dt>
            <dd>
              {`${money(line.priceCents)} (`}
              {tCode("usualPrice", { list: money(line.priceCents + line.discountCents) })}
              {` · ${tCode("discountLine", { code: line.code, discount: money(line.discountCents) })})`}
            </dd>
          </div>
        ))}
        <div>
          <dt>{paidAndConfirmed ? receipt("total") : t("total")}</dt>
          <dd>
            <Price cents={order.amountCents} currency={order.currency} />
          </dd>
        </div>
        {paidAndConfirmed &&
          receiptVat(
            order.tickets.map((ticket) => ({
              priceCents: ticket.priceCents,
              vatRateBasisPoints: ticket.ticketType.vatRateBasisPoints,
            })),
          ).map((part) => (
            <div key={part.vatRateBasisPoints}>
              <dt>{receipt("vat", { rate: formatRate(part.vatRateBasisPoints, locale) })}</dt>
              <dd>{formatMoney(part.vatCents, order.currency, locale)}</dd>
            </div>
          ))}
      </dl>
      <OrderInvoices
        documents={invoices}
        hrefOf={(number, format) => orderInvoicePath(locale, token, number, format)}
        locale={locale}
        timeZone={edition.timeZone}
      />
      {!solo && (
        <OrderTickets
          order={order}
          token={token}
          locale={locale}
          actionsFor={(ticket) => (
            <>
              {holderName(ticket) !== null && recordStanding(ticket, order) === "valid" && (
                <ResendTicket action={resendTicket.bind(null, token, ticket.id)} />
              )}
              <CancelTicket
                order={order}
                ticket={ticket}
                action={cancelTicket.bind(null, token, locale, ticket.id)}
                locale={locale}
                refusal={refusedTicket === ticket.id ? refusal : undefined}
              />
            </>
          )}
        />
      )}
      {solo && answers.length > 0 && (
        <>
          <h2>{edges("answersTitle")}</h2>
          <dl className="facts answers">
            {answers.map((answer) => (
              <div key={answer.key}>
                <dt>{answer.label}</dt>
                <dd>{answer.value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {status === "CONFIRMED" && (
        <ManageRegistration
          order={order}
          token={token}
          locale={locale}
          solo={solo}
          notAllowed={manage === "not_allowed"}
        />
      )}
      <DataRights
        email={order.buyerEmail}
        emailMyData={emailOrderData.bind(null, token, locale)}
        askForErasure={askOrderErasure.bind(null, token, locale)}
        done={privacy}
      />
      <p>
        <Link href={`/editions/${edition.slug}`}>← {t("backToEdition")}</Link>
      </p>
    </>
  );
}

type OrderWithEverything = NonNullable<Awaited<ReturnType<typeof getOrderByAccessToken>>>;

/** The buyer's downloads of the certificates of their order's tickets, each eligible one named. */
async function certificateLinks(order: OrderWithEverything, token: string, locale: Locale, solo: boolean) {
  const t = await getTranslations("certificates");
  const settings = await certificateRuleSettings(db(), order.edition.id);
  const now = appNow();
  return order.tickets
    .filter((ticket) => certificateEligibility(ticket, order, order.edition, settings, now) === "eligible")
    .map((ticket) => ({
      href: orderCertificatePath(locale, token, ticket.position),
      label: solo ? t("link") : t("orderLink", { name: holderName(ticket) ?? "" }),
    }));
}

async function ManageRegistration({
  order,
  token,
  locale,
  solo,
  notAllowed,
}: {
  order: OrderWithEverything;
  token: string;
  locale: Locale;
  solo: boolean;
  notAllowed: boolean;
}) {
  const t = await getTranslations("manage");
  const tRefusal = await getTranslations("refusal");
  const rights = selfServiceRights(order, appNow());
  const ticket = order.tickets.find((candidate) => ticketStanding(candidate, order) === "valid");
  const { edition } = order;
  if (!ticket) return null;
  const initialValues = { ...attendeeFormValues(ticket), ...answerFormValues(ticket.answers) };
  const questions = localizedQuestionFields(edition.questions, locale);
  const editDeadline = edition.editDeadline ?? edition.startsAt;
  const paid = order.amountCents > 0;
  // After tickets of the group were refunded on their own, cancelling the order refunds the rest.
  const refundedCents = order.refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
  return (
    <section className="manage" aria-labelledby="manage-title">
      <h2 id="manage-title">{t("title")}</h2>
      {notAllowed && <p className="notice">{tRefusal("not_allowed")}</p>}
      <FileLinks path={(file) => orderFilePath(locale, token, file)} />
      <CertificateLinks links={await certificateLinks(order, token, locale, solo)} />
      {solo && rights.canEdit && (
        <details>
          <summary>{t("editTitle")}</summary>
          <p className="muted">{t("editHint", { date: formatDateTime(editDeadline, edition.timeZone, locale) })}</p>
          <AttendeeDetailsForm
            action={saveAttendeeDetails.bind(null, token, locale)}
            initialValues={initialValues}
            questions={questions}
          />
        </details>
      )}
      {solo && rights.canTransfer && (
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
              ? t("cancelPaidHint", {
                  amount: formatMoney(order.amountCents - refundedCents, order.currency, locale),
                  date: formatDateTime(edition.refundDeadline!, edition.timeZone, locale),
                })
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

/** The answers given, as the attendee read the questions: labels and options in their language. */
function answersAsRead(
  answers: unknown,
  questions: ReturnType<typeof localizedQuestionFields>,
  words: { yes: string; no: string; none: string },
) {
  const given = (answers ?? {}) as Record<string, string | boolean | undefined>;
  return questions.map((question) => {
    const value = given[question.key];
    const text =
      question.type === "CHECKBOX"
        ? value === true
          ? words.yes
          : words.no
        : question.type === "SELECT"
          ? (question.options.find((option) => option.value === value)?.label ?? words.none)
          : typeof value === "string" && value !== ""
            ? value
            : words.none;
    return { key: question.key, label: question.label, value: text };
  });
}

/**
 * The tickets a code lowered, one line per (type, price, code) as the receipt and the invoice group them: the usual
 * price and what the code took off each.
 */
function codeLines<
  T extends { ticketType: { id: string }; priceCents: number; discountCents: number; voucher: { code: string } | null },
>(tickets: T[]) {
  const lines = new Map<
    string,
    { key: string; ticketType: T["ticketType"]; priceCents: number; discountCents: number; code: string; count: number }
  >();
  for (const ticket of tickets) {
    if (!ticket.voucher || ticket.discountCents === 0) continue;
    const key = `${ticket.ticketType.id}:${ticket.priceCents}:${ticket.voucher.code}`;
    const line = lines.get(key);
    if (line) line.count += 1;
    else
      lines.set(key, {
        key,
        ticketType: ticket.ticketType,
        priceCents: ticket.priceCents,
        discountCents: ticket.discountCents,
        code: ticket.voucher.code,
        count: 1,
      });
  }
  return [...lines.values()];
}
