import { getTranslations } from "next-intl/server";
import { AdminForm } from "@/components/admin/admin-form";
import type { TransferPayment } from "@/lib/generated/prisma/client";
import { formatDateTime, formatMoney, zoneName } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { printedTransferReference, transferReferenceFor } from "@/lib/payments/transfer-reference";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { bookedDay } from "@/components/admin/booked-day";
import { moveTransferDeadlineAction, markTransferPaidAction } from "./transfer-actions";

type Props = {
  edition: { id: string; timeZone: string };
  order: {
    id: string;
    reference: string;
    status: string;
    paymentMethod: string;
    amountCents: number;
    currency: string;
    holdExpiresAt: Date | null;
    transferRemindersSent: number;
    transferPayment: TransferPayment | null;
  };
  locale: Locale;
  /** An outcome of the forms below, named by `?done=`. */
  done?: string;
  now: Date;
};

// What the forms below redirect back with.
const DONE = new Set(["transfer_confirmed", "transfer_confirmed_late", "deadline_extended"]);

/**
 * A transfer order's payment on its back-office page: what is awaited (deadline, reference, amount) with the forms
 * that record the transfer or give more time, or the transfer that paid it.
 */
export async function TransferSection({ edition, order, locale, done, now }: Props) {
  if (order.paymentMethod !== "TRANSFER") return null;
  const t = await getTranslations("transferAdmin");
  const money = (cents: number) => formatMoney(cents, order.currency, locale);
  const notice = done && DONE.has(done) && (
    <p className="form-message success" role="status">
      {t(`message.${done}`)}
    </p>
  );
  const payment = order.transferPayment;
  if (payment) {
    return (
      <section aria-labelledby="transfer-title">
        <h3 id="transfer-title" className="subsection">
          {t("order.paidTitle")}
        </h3>
        {notice}
        <dl className="facts">
          <div>
            <dt>{t("order.paidAmount")}</dt>
            <dd>{formatMoney(payment.amountCents, payment.currency, locale)}</dd>
          </div>
          <div>
            <dt>{t("order.paidOn")}</dt>
            <dd>{bookedDay(payment.receivedOn, locale)}</dd>
          </div>
          <div>
            <dt>{t("order.recordedBy")}</dt>
            <dd>
              {payment.recordedBy} · {formatDateTime(payment.createdAt, edition.timeZone, locale)}
            </dd>
          </div>
          <div>
            <dt>{t("order.statementLine")}</dt>
            <dd>{payment.statementLineId ? <code>{payment.statementLineId}</code> : t("order.byHand")}</dd>
          </div>
        </dl>
      </section>
    );
  }
  if (order.status !== "PENDING" && order.status !== "EXPIRED") return notice || null;
  const pending = order.status === "PENDING";
  const hidden = { editionId: edition.id, orderId: order.id, reference: order.reference };
  const today = utcToZonedLocal(now, edition.timeZone).slice(0, 10);
  return (
    <section aria-labelledby="transfer-title">
      <h3 id="transfer-title" className="subsection">
        {t("order.title")} <span className="badge">{t(pending ? "order.awaiting" : "order.expired")}</span>
      </h3>
      {notice}
      {!pending && <p className="notice">{t("order.expiredHelp")}</p>}
      <dl className="facts">
        <div>
          <dt>{t("order.deadline")}</dt>
          <dd>{order.holdExpiresAt ? formatDateTime(order.holdExpiresAt, edition.timeZone, locale) : "—"}</dd>
        </div>
        <div>
          <dt>{t("order.reference")}</dt>
          <dd>
            <code>{printedTransferReference(transferReferenceFor(order.reference))}</code>
          </dd>
        </div>
        <div>
          <dt>{t("order.due")}</dt>
          <dd>{money(order.amountCents)}</dd>
        </div>
        <div>
          <dt>{t("order.reminders")}</dt>
          <dd>{order.transferRemindersSent}</dd>
        </div>
      </dl>
      <div className="admin-columns">
        <section aria-labelledby="transfer-mark-title">
          <h4 id="transfer-mark-title">{t("order.markTitle")}</h4>
          <p className="muted">{t("order.markHelp")}</p>
          <AdminForm
            action={markTransferPaidAction}
            hidden={hidden}
            idPrefix="transfer-mark"
            submitLabel={t("order.markSubmit")}
            fields={[
              {
                name: "amount",
                label: t("order.amount"),
                inputMode: "decimal",
                required: true,
                hint: t("order.amountHint", { currency: order.currency }),
                defaultValue: (order.amountCents / 100).toFixed(2),
              },
              { name: "receivedOn", label: t("order.receivedOn"), type: "date", required: true, defaultValue: today },
            ]}
          />
        </section>
        {pending && (
          <section aria-labelledby="transfer-extend-title">
            <h4 id="transfer-extend-title">{t("order.extendTitle")}</h4>
            <p className="muted">{t("order.extendHelp", { zone: zoneName(edition.timeZone, locale) })}</p>
            <AdminForm
              action={moveTransferDeadlineAction}
              hidden={hidden}
              idPrefix="transfer-extend"
              submitLabel={t("order.extendSubmit")}
              fields={[
                {
                  name: "deadline",
                  label: t("order.newDeadline"),
                  type: "date",
                  required: true,
                  defaultValue: order.holdExpiresAt
                    ? utcToZonedLocal(order.holdExpiresAt, edition.timeZone).slice(0, 10)
                    : "",
                },
              ]}
            />
          </section>
        )}
      </div>
    </section>
  );
}
