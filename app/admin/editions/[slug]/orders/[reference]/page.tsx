import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DataTable } from "@/components/admin/data-table";
import { OrderEmails } from "@/components/admin/order/order-emails";
import { OrderHistory } from "@/components/admin/order/order-history";
import { refundTime } from "@/components/admin/order/refund-time";
import { refundStateOf } from "@/lib/payments/refunds";
import { attendeeStatus } from "@/lib/attendees/query";
import { db } from "@/lib/db/prisma";
import { adminAttendeePath, adminEditionPath, adminOrderInvoicePath } from "@/lib/http/paths";
import { OrderInvoices } from "@/components/order/order-invoices";
import { orderInvoices } from "@/lib/orders/invoices";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { getOrderDetail, type OrderDetail } from "@/lib/orders/detail";
import { isErased } from "@/lib/privacy/erased";
import { editionForPage } from "../../edition-for-page";
import { TransferSection } from "./transfer-section";

/** One order as the organisers see it: who bought, every ticket it holds, its payment, emails and history. */
export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; reference: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  const { edition } = await editionForPage(params, "orders:manage");
  const { reference } = await params;
  if (!/^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(reference)) notFound();
  const detail = await getOrderDetail(db(), edition.id, reference);
  if (!detail) notFound();
  const { order, history } = detail;
  const locale = await currentLocale();
  const t = await getTranslations("orderView");
  const words = await getTranslations("attendees");
  const register = await getTranslations("register");
  const refunds = await getTranslations("refunds");
  const erased = await getTranslations("dataRights.erased");
  const buyerErased = isErased({ email: order.buyerEmail });
  const when = (date: Date | null) => (date ? formatDateTime(date, edition.timeZone, locale) : "—");
  const money = (cents: number) => formatMoney(cents, order.currency, locale);
  const now = new Date();
  return (
    <>
      <p>
        <Link href={adminEditionPath(edition.slug, "attendees", { q: order.reference })}>{words("backToList")}</Link>
      </p>
      <h2>
        {t("title", { reference: order.reference })}{" "}
        <span className="badge">{words(`orderStatus.${order.status}`)}</span>
      </h2>
      <dl className="facts">
        <div>
          <dt>{t("buyer")}</dt>
          <dd>{buyerErased ? erased("holder") : `${order.buyerFirstName} ${order.buyerLastName}`}</dd>
        </div>
        <div>
          <dt>{register("email")}</dt>
          <dd>{buyerErased ? "—" : order.buyerEmail}</dd>
        </div>
        <div>
          <dt>{t("company")}</dt>
          <dd>{order.buyerCompany ?? "—"}</dd>
        </div>
        {order.billing && <InvoicedTo billing={order.billing} label={t("invoicedTo")} />}
        <div>
          <dt>{words("amount")}</dt>
          <dd>
            {money(order.amountCents)} · {t("ticketCount", { count: order.tickets.length })}
          </dd>
        </div>
        <div>
          <dt>{words("registeredAt")}</dt>
          <dd>{when(order.createdAt)}</dd>
        </div>
        {order.paymentIntentId && (
          <div>
            <dt>{words("payment")}</dt>
            <dd>
              <code>{order.paymentIntentId}</code>
            </dd>
          </div>
        )}
        {order.refunds.map((refund) => (
          <div key={refund.id}>
            <dt>{refund.ticket ? t("ticketRefund", { position: refund.ticket.position }) : words("refund")}</dt>
            <dd>
              {money(refund.amountCents)} · {refunds(`status.${refundStateOf(refund).state}`)} ·{" "}
              {refundTime(refund, when, locale)}
            </dd>
          </div>
        ))}
      </dl>
      <TransferSection edition={edition} order={order} locale={locale} done={(await searchParams).done} now={now} />
      <DataTable
        caption={t("ticketsTitle")}
        showCaption
        rows={order.tickets}
        rowKey={(ticket) => ticket.id}
        columns={[
          { header: t("position"), number: true, cell: (ticket) => ticket.position },
          {
            header: t("attendee"),
            rowHeader: true,
            cell: (ticket) => (
              <Link href={adminAttendeePath(edition.slug, ticket.id)}>
                {isErased(ticket) ? erased("holder") : `${ticket.firstName} ${ticket.lastName}`}
              </Link>
            ),
          },
          { header: register("email"), cell: (ticket) => (isErased(ticket) ? "—" : ticket.email) },
          { header: words("ticketType"), cell: (ticket) => localized(ticket.ticketType, "name", locale) },
          { header: t("price"), number: true, cell: (ticket) => money(ticket.priceCents) },
          {
            header: words("status"),
            cell: (ticket) => {
              const status = attendeeStatus({ status: ticket.status, order }, now);
              return <span className={`badge status-${status}`}>{words(`statusName.${status}`)}</span>;
            },
          },
          { header: words("checkedIn"), cell: (ticket) => when(ticket.checkedInAt) },
        ]}
      />
      <OrderInvoices
        documents={await orderInvoices(db(), order.id)}
        hrefOf={(number, format) => adminOrderInvoicePath(edition.slug, order.reference, number, format)}
        locale={locale}
        timeZone={edition.timeZone}
      />
      <OrderHistory transitions={order.transitions} entries={history} timeZone={edition.timeZone} locale={locale} />
      <OrderEmails emails={order.emails} timeZone={edition.timeZone} locale={locale} />
    </>
  );
}

/** Who an organisation's order is invoiced to, as the buyer gave it: what its invoice prints and Chorus Pro reads. */
async function InvoicedTo({
  billing,
  label,
}: {
  billing: NonNullable<OrderDetail["order"]["billing"]>;
  label: string;
}) {
  const t = await getTranslations("billingForm");
  const view = await getTranslations("orderView");
  const facts = (
    [
      ["siren", billing.siren],
      ["siret", billing.siret],
      ["vatNumber", billing.vatNumber],
      ["purchaseOrder", billing.purchaseOrder],
      ["accountsEmail", billing.accountsEmail],
      ["serviceCode", billing.serviceCode],
      ["engagementNumber", billing.engagementNumber],
    ] as const
  ).filter(([, value]) => value);
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <strong>{billing.organisation}</strong>
        <br />
        {[billing.address, billing.addressMore].filter(Boolean).join(", ")}, {billing.postcode} {billing.city},{" "}
        {billing.country}
        {facts.map(([field, value]) => (
          <span key={field}>
            <br />
            {view("fact", { label: t(field), value: value ?? "" })}
          </span>
        ))}
      </dd>
    </div>
  );
}
