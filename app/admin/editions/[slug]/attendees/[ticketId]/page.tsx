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
import { adminEditionPath } from "@/lib/http/paths";

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
  const emails = await getTranslations("emails");
  const edges = await getTranslations("attendeeEdges");
  const reasons = await getTranslations("staffAndAudit.transitionReason");
  const when = (date: Date | null) => (date ? formatDateTime(date, edition.timeZone, locale) : "—");
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
  const paid = order.amountCents > 0 && order.paymentIntentId !== null;
  const refunds = await getTranslations("refunds");
  const refundUnsent = order.refund?.status === "PENDING" && order.refund.stripeRefundId === null;
  const refundState = refundUnsent ? "UNSENT" : order.refund?.status;
  const refundFailed = order.refund !== null && ["FAILED", "CANCELED", "REQUIRES_ACTION"].includes(order.refund.status);
  const refundNeedsAttention = refundUnsent || refundFailed;
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
              <dd className="reference">{order.reference}</dd>
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
            {order.paymentIntentId && (
              <div>
                <dt>{t("payment")}</dt>
                <dd>
                  <code>{order.paymentIntentId}</code>
                </dd>
              </div>
            )}
            {order.refund && (
              <div>
                <dt>{t("refund")}</dt>
                <dd>
                  {formatMoney(order.refund.amountCents, order.refund.currency, locale)} ·{" "}
                  {refunds(`status.${refundState}`)} · {when(order.refund.settledAt ?? order.refund.createdAt)}
                  {order.refund.lastError && refundNeedsAttention && (
                    <> · {refunds("lastError", { error: order.refund.lastError, attempts: order.refund.attempts })}</>
                  )}
                </dd>
              </div>
            )}
          </dl>

          <h3 className="subsection">{t("historyTitle")}</h3>
          <ol className="timeline">
            {order.transitions.map((transition) => (
              <li key={transition.id}>
                {when(transition.createdAt)} — {t(`orderStatus.${transition.toStatus}`)}
                {transition.reason &&
                  ` (${reasons.has(transition.reason) ? reasons(transition.reason) : transition.reason})`}
              </li>
            ))}
            {history.map((entry) => (
              <li key={entry.id}>
                {when(entry.createdAt)} —{" "}
                {t.has(`auditAction.${entry.action}`) ? t(`auditAction.${entry.action}`) : entry.action} ·{" "}
                {entry.actorEmail}
              </li>
            ))}
          </ol>

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

          <h3 className="subsection">{t("emailsTitle")}</h3>
          {order.emails.length === 0 ? (
            <p>{t("noEmails")}</p>
          ) : (
            <ul className="timeline">
              {order.emails.map((email) => (
                <li key={email.id}>
                  {when(email.sentAt ?? email.createdAt)} —{" "}
                  {t.has(`emailKind.${email.kind}`)
                    ? t(`emailKind.${email.kind}`)
                    : emails.has(`kind.${email.kind}`)
                      ? emails(`kind.${email.kind}`)
                      : email.kind}{" "}
                  → {email.toAddress} ·{" "}
                  {email.status === "SENT"
                    ? t("emailSent")
                    : email.status === "FAILED"
                      ? emails("deliveryStatus.FAILED", { attempts: email.attempts, error: email.lastError ?? "" })
                      : email.status === "SUPERSEDED"
                        ? emails("deliveryStatus.SUPERSEDED")
                        : t("emailPending", { attempts: email.attempts })}
                </li>
              ))}
            </ul>
          )}
        </div>
        <aside>
          <h3 className="subsection">{t("actionsTitle")}</h3>
          {status === "confirmed" && (
            <div className="button-row">
              <ActionButton action={resendConfirmationAction} hidden={hidden} label={t("resend")} />
              <ActionButton
                action={cancelAttendeeAction}
                hidden={{ ...hidden, refund: "no" }}
                label={t("cancelNoRefund")}
                confirm={t("cancelConfirm")}
                danger
              />
              {paid && (
                <ActionButton
                  action={cancelAttendeeAction}
                  hidden={{ ...hidden, refund: "yes" }}
                  label={t("cancelRefund", { amount: formatMoney(order.amountCents, order.currency, locale) })}
                  confirm={t("cancelRefundConfirm")}
                  danger
                />
              )}
            </div>
          )}
          {refundNeedsAttention && order.refund?.status !== "REQUIRES_ACTION" && (
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
