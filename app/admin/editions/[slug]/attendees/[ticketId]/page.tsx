import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { DoneNotice } from "@/components/admin/done-notice";
import { getAttendeeDetail } from "@/lib/attendees/detail";
import { attendeeStatus } from "@/lib/attendees/query";
import { holderName } from "@/lib/orders/holder";
import { db } from "@/lib/db/prisma";
import { localizedQuestionFields } from "@/lib/editions/question-fields";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { answerFormValues } from "@/lib/orders/registration-form";
import { cancelAttendeeAction, editAttendeeAction, resendConfirmationAction, undoCheckInAction } from "../actions";
import { editionForPage } from "../../edition-for-page";
import { retryRefundAction } from "../../refund-actions";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminAttendeeCertificatePath, adminEditionPath, adminOrderPath } from "@/lib/http/paths";
import { certificateEligibility, certificateRuleSettings } from "@/lib/certificates/eligible";
import { appNow } from "@/lib/time/clock";
import { OrderEmails } from "@/components/admin/order/order-emails";
import { OrderHistory } from "@/components/admin/order/order-history";
import { refundTime, type RefundShown } from "@/components/admin/order/refund-time";
import { refundMethodOf, refundStateOf } from "@/lib/payments/refunds";

export default async function AttendeePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; ticketId: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  const { edition } = await editionForPage(params, "orders:manage");
  const { ticketId } = await params;
  if (!/^[0-9a-f-]{36}$/.test(ticketId)) notFound();
  const detail = await getAttendeeDetail(db(), edition.id, ticketId);
  if (!detail) notFound();
  const { ticket, history, scans } = detail;
  const { order } = ticket;
  const locale = await currentLocale();
  const t = await getTranslations("attendees");
  const tGroup = await getTranslations("groupTicket");
  const register = await getTranslations("register");
  const edges = await getTranslations("attendeeEdges");
  const when = (date: Date | null) => (date ? formatDateTime(date, edition.timeZone, locale) : "—");
  const refundDay = (refund: RefundShown) => refundTime(refund, when, locale);
  const now = new Date();
  const status = attendeeStatus(ticket, now);
  const hidden = { editionId: edition.id, editionSlug: edition.slug, ticketId: ticket.id };
  const answers = answerFormValues(ticket.answers);
  const questionFields: FieldSpec[] = localizedQuestionFields(edition.questions, locale).map((question) => ({
    name: `answers.${question.key}`,
    label: question.label,
    type: question.type === "TEXT" ? "text" : question.type === "SELECT" ? "select" : "checkbox",
    options: question.type === "SELECT" ? [{ value: "", label: "—" }, ...question.options] : undefined,
    defaultValue: answers[`answers.${question.key}`] ?? "",
  }));
  const ticketRefund = await getTranslations("ticketRefund.admin");
  // In a group, the actions cancel (and refund) this ticket alone.
  const group = order.tickets.length > 1;
  // Its order's last valid ticket: cancelling it ends the order, no other ticket stays valid.
  const lastOfGroup = group && !order.tickets.some((other) => other.id !== ticket.id && other.status === "ACTIVE");
  const ticketConfirm = ticketRefund(lastOfGroup ? "lastTicketConfirm" : "cancelTicketConfirm");
  const refundable = group ? ticket.priceCents : order.amountCents;
  const paid = refundable > 0 && refundMethodOf(order) !== null;
  const refunds = await getTranslations("refunds");
  const refundRows = order.refunds.map((refund) => {
    const forWhat = refund.ticket
      ? ticketRefund("refundOfTicket", { position: refund.ticket.position })
      : ticketRefund("refundOfRest");
    return { ...refund, forWhat, ...refundStateOf(refund) };
  });
  const refundToRetry = refundRows.find((refund) => refund.retryable);
  const certificateSettings = await certificateRuleSettings(db(), edition.id);
  const certificate = certificateEligibility(ticket, order, edition, certificateSettings, appNow()) === "eligible";
  const certificates = await getTranslations("certificates");
  return (
    <>
      <p>
        <Link href={adminEditionPath(edition.slug, "attendees")}>{t("backToList")}</Link>
      </p>
      <DoneNotice done={(await searchParams).done} />
      <h2>
        {holderName(ticket) ?? tGroup("unnamedTicket", { position: ticket.position })}{" "}
        <span className={`badge status-${status}`}>{t(`statusName.${status}`)}</span>
      </h2>
      <div className="admin-columns">
        <div>
          <dl className="facts">
            <div>
              <dt>{register("email")}</dt>
              <dd>{ticket.email ?? tGroup("unnamedInList")}</dd>
            </div>
            <div>
              <dt>{register("company")}</dt>
              <dd>{ticket.company ?? "—"}</dd>
            </div>
            <div>
              <dt>{t("ticketType")}</dt>
              <dd>{localized(ticket.ticketType, "name", locale)}</dd>
            </div>
            <div>
              <dt>{t("reference")}</dt>
              <dd className="reference">
                <Link href={adminOrderPath(edition.slug, order.reference)}>{order.reference}</Link>
              </dd>
            </div>
            <div>
              <dt>{t("amount")}</dt>
              <dd>
                {formatMoney(order.amountCents, order.currency, locale)}
                {order.statusReason === "complimentary" && ` (${t("complimentary")})`}
              </dd>
            </div>
            <div>
              <dt>{t("registeredAt")}</dt>
              <dd>{when(order.createdAt)}</dd>
            </div>
            <div>
              <dt>{t("checkedIn")}</dt>
              <dd>{when(ticket.checkedInAt)}</dd>
            </div>
            {certificate && (
              <div>
                <dt>{certificates("adminLink")}</dt>
                <dd>
                  <a
                    href={adminAttendeeCertificatePath(edition.slug, ticket.id)}
                    download
                    data-testid="certificate-link"
                  >
                    {certificates("download")}
                  </a>
                </dd>
              </div>
            )}
            {order.paymentIntentId && (
              <div>
                <dt>{t("payment")}</dt>
                <dd>
                  <code>{order.paymentIntentId}</code>
                </dd>
              </div>
            )}
            {refundRows.map((refund) => (
              <div key={refund.id}>
                <dt>{t("refund")}</dt>
                <dd>
                  {formatMoney(refund.amountCents, refund.currency, locale)} · {group && `${refund.forWhat} · `}
                  {refunds(`status.${refund.state}`)} · {refundDay(refund)}
                  {refund.lastError && refund.retryable && (
                    <> · {refunds("lastError", { error: refund.lastError, attempts: refund.attempts })}</>
                  )}
                </dd>
              </div>
            ))}
          </dl>

          <OrderHistory transitions={order.transitions} entries={history} timeZone={edition.timeZone} locale={locale} />

          <h3 className="subsection">{t("scansTitle")}</h3>
          {scans.length === 0 ? (
            <p>{t("noScans")}</p>
          ) : (
            <ul className="timeline">
              {scans.map((scan) => (
                <li key={scan.id}>
                  {t("scanLine", {
                    time: when(scan.scannedAt),
                    result: t(`scanResult.${scan.result}`),
                    device: scan.deviceId,
                  })}
                  {scan.offline && ` · ${t("scanOffline")}`}
                  {scan.offlineConflict && <strong> · {t("scanConflict")}</strong>}
                </li>
              ))}
            </ul>
          )}

          <OrderEmails emails={order.emails} timeZone={edition.timeZone} locale={locale} />
        </div>
        <aside>
          <h3 className="subsection">{t("actionsTitle")}</h3>
          {status === "confirmed" && group && (
            <p className="muted">
              {lastOfGroup
                ? ticketRefund("lastTicketNote")
                : ticketRefund("groupNote", { count: order.tickets.length })}
            </p>
          )}
          {status === "confirmed" && (
            <div className="button-row">
              <ActionButton action={resendConfirmationAction} hidden={hidden} label={t("resend")} />
              <ActionButton
                action={cancelAttendeeAction}
                hidden={{ ...hidden, refund: "no" }}
                label={group ? ticketRefund("cancelTicketNoRefund") : t("cancelNoRefund")}
                confirm={group ? ticketConfirm : t("cancelConfirm")}
                danger
              />
              {paid && (
                <ActionButton
                  action={cancelAttendeeAction}
                  hidden={{ ...hidden, refund: "yes" }}
                  label={
                    group
                      ? ticketRefund("cancelTicketRefund", { amount: formatMoney(refundable, order.currency, locale) })
                      : t("cancelRefund", { amount: formatMoney(refundable, order.currency, locale) })
                  }
                  confirm={group ? ticketConfirm : t("cancelRefundConfirm")}
                  danger
                />
              )}
            </div>
          )}
          {refundToRetry && (
            <ActionButton
              action={retryRefundAction}
              hidden={hidden}
              label={refunds("retry")}
              confirm={refunds("retryConfirm")}
            />
          )}
          {ticket.checkedInAt && (
            <ActionButton
              action={undoCheckInAction}
              hidden={hidden}
              label={t("undoCheckIn")}
              confirm={t("undoCheckInConfirm")}
            />
          )}
          <h3 className="subsection">{t("editTitle")}</h3>
          <AdminForm
            action={editAttendeeAction}
            hidden={hidden}
            idPrefix="attendee"
            submitLabel={t("save")}
            fields={[
              {
                name: "attendee.firstName",
                label: register("firstName"),
                required: true,
                defaultValue: ticket.firstName ?? "",
              },
              {
                name: "attendee.lastName",
                label: register("lastName"),
                required: true,
                defaultValue: ticket.lastName ?? "",
              },
              {
                name: "attendee.email",
                label: register("email"),
                type: "email",
                required: true,
                autoComplete: "off",
                hint: edges("adminEmailHint"),
                defaultValue: ticket.email ?? "",
              },
              { name: "attendee.company", label: register("company"), defaultValue: ticket.company ?? "" },
              ...questionFields,
            ]}
          />
        </aside>
      </div>
    </>
  );
}
