import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { SelectAllRows } from "@/components/admin/attendee-bulk";
import { attendeeStatus, type AttendeeFilter, type AttendeeRow } from "@/lib/attendees/query";
import { formatMoney, formatShortDateTime, localized, zoneName } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { adminAttendeePath, adminOrderPath } from "@/lib/http/paths";
import { isErased } from "@/lib/privacy/erased";
import { SortHeader } from "./sort-header";

/** The id of the bulk-actions form that the rows' checkboxes belong to. */
export const ATTENDEE_BULK_FORM = "attendee-bulk";

type Props = {
  rows: AttendeeRow[];
  filter: AttendeeFilter;
  /** The list's own path, which its sortable headers link back to. */
  base: string;
  slug: string;
  locale: Locale;
  timeZone: string;
  now: Date;
};

/** One page of attendees, each row selectable for the bulk actions, every column sortable. */
export async function AttendeeTable({ rows, filter, base, slug, locale, timeZone, now }: Props) {
  const t = await getTranslations("attendees");
  const list = await getTranslations("attendeeList");
  const register = await getTranslations("register");
  const tGroup = await getTranslations("groupTicket");
  const codes = await getTranslations("voucherAdmin.attendees");
  const erased = await getTranslations("dataRights.erased");
  const shortTime = (date: Date) => formatShortDateTime(date, timeZone, locale);
  const sortable = { filter, base };
  return (
    <>
      <p className="hint">{list("timesIn", { zone: zoneName(timeZone, locale, now) })}</p>
      <div className="table-scroll">
        <table className="data-table attendee-table">
          <caption className="visually-hidden">{t("title")}</caption>
          <thead>
            <tr>
              <th scope="col" className="select-cell">
                <SelectAllRows formId={ATTENDEE_BULK_FORM} label={list("selectAll")} />
              </th>
              <SortHeader column="name" label={t("name")} {...sortable} />
              <SortHeader column="email" label={register("email")} {...sortable} />
              <SortHeader column="company" label={list("company")} {...sortable} />
              <SortHeader column="ticketType" label={t("ticketType")} {...sortable} />
              <SortHeader column="status" label={t("status")} {...sortable} />
              <SortHeader column="amount" label={list("amount")} {...sortable} numeric />
              <SortHeader column="registeredAt" label={list("registeredAt")} {...sortable} />
              <SortHeader column="checkedInAt" label={t("checkedIn")} {...sortable} />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const status = attendeeStatus(row, now);
              const gone = isErased(row);
              const name = gone
                ? erased("holder")
                : row.lastName === null
                  ? tGroup("unnamedInList")
                  : `${row.lastName} ${row.firstName}`;
              const buyer = isErased({ email: row.order.buyerEmail })
                ? erased("holder")
                : `${row.order.buyerFirstName} ${row.order.buyerLastName}`;
              return (
                <tr key={row.id}>
                  <td className="select-cell">
                    <input
                      type="checkbox"
                      name="ticketIds"
                      value={row.id}
                      form={ATTENDEE_BULK_FORM}
                      aria-label={list("select", { name })}
                    />
                  </td>
                  <td>
                    <Link href={adminAttendeePath(slug, row.id)}>{name}</Link>
                    <Link className="reference-cell row-reference" href={adminOrderPath(slug, row.order.reference)}>
                      {row.order.reference}
                    </Link>
                    {row.order.buyerEmail !== row.email && (
                      <span className="row-reference">{list("boughtBy", { name: buyer })}</span>
                    )}
                  </td>
                  <td className="email-cell">{gone ? "—" : row.email}</td>
                  <td>{row.company}</td>
                  <td>
                    {localized(row.ticketType, "name", locale)}
                    {row.voucher && (
                      <span className="muted voucher-code"> {codes("codeUsed", { code: row.voucher.code })}</span>
                    )}
                  </td>
                  <td>
                    <span className={`badge status-${status}`}>{t(`statusName.${status}`)}</span>
                  </td>
                  <td className="number">{formatMoney(row.priceCents, row.order.currency, locale)}</td>
                  <td className="time-cell">{shortTime(row.createdAt)}</td>
                  <td className="time-cell">{row.checkedInAt ? shortTime(row.checkedInAt) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
