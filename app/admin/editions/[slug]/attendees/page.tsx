import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { AdminForm } from "@/components/admin/admin-form";
import { AttendeeBulkActions, SelectAllRows } from "@/components/admin/attendee-bulk";
import {
  ATTENDEE_STATUSES,
  attendeeStatus,
  filterQuery,
  listAttendees,
  parseAttendeeFilter,
  type AttendeeFilter,
  type AttendeeSort,
} from "@/lib/attendees/query";
import { db } from "@/lib/db/prisma";
import { attendeeColumns, DEFAULT_COLUMNS } from "@/lib/exports/attendee-columns";
import { formatMoney, formatShortDateTime, localized, zoneName } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { questionOptions } from "@/lib/orders/registration-request";
import { addComplimentaryAction } from "./actions";
import { bulkCancelAction, bulkCancelRefundAction, bulkCheckInAction, bulkResendAction } from "./bulk-actions";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";

const BULK_FORM = "attendee-bulk";

/** A column header that sorts the list by its column: the same link sorts the other way once active. */
type SortHeaderProps = { column: AttendeeSort; label: string; filter: AttendeeFilter; base: string; numeric?: boolean };

async function SortHeader({ column, label, filter, base, numeric }: SortHeaderProps) {
  const t = await getTranslations("attendeeList");
  const active = (filter.sort ?? "name") === column;
  const dir = filter.dir ?? "asc";
  const next = active && dir === "asc" ? "desc" : "asc";
  const sorted = active ? (dir === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" className={numeric ? "number" : undefined} aria-sort={sorted}>
      <Link className="sort-link" href={`${base}?${filterQuery(filter, { sort: column, dir: next })}`}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
        <span className="visually-hidden">{t(next === "asc" ? "sortAscending" : "sortDescending")}</span>
      </Link>
    </th>
  );
}

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabAttendees");

export default async function AttendeesPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { edition } = await editionForPage(params, "orders:manage");
  const locale = (await getLocale()) as Locale;
  const t = await getTranslations("attendees");
  const list = await getTranslations("attendeeList");
  const register = await getTranslations("register");
  const now = new Date();
  const filter = parseAttendeeFilter(await searchParams);
  const { rows, total, page, pages } = await listAttendees(db(), edition.id, filter, now, locale);
  const base = `/admin/editions/${edition.slug}/attendees`;
  const shortTime = (date: Date) => formatShortDateTime(date, edition.timeZone, locale);
  const answerChoices = edition.questions.flatMap((question) =>
    question.type === "SELECT"
      ? questionOptions(question).map((option) => ({ value: `${question.key}=${option.value}`, label: t("answerChoice", { question: localized(question, "label", locale), answer: localized(option, "label", locale) }) }))
      : question.type === "CHECKBOX"
        ? [true, false].map((value) => ({ value: `${question.key}=${value}`, label: t("answerChoice", { question: localized(question, "label", locale), answer: t(value ? "yes" : "no") }) }))
        : [],
  );
  const columns = attendeeColumns(edition, edition.questions, locale);
  const filterHidden = Object.entries(Object.fromEntries(new URLSearchParams(filterQuery(filter))));
  return (
    <>
      <form className="filters" method="get" role="search" aria-label={t("filtersLabel")}>
        <div className="field">
          <label htmlFor="filter-q">{t("search")}</label>
          <input id="filter-q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder={t("searchPlaceholder")} />
        </div>
        <div className="field">
          <label htmlFor="filter-type">{t("ticketType")}</label>
          <select id="filter-type" name="ticketType" defaultValue={filter.ticketType ?? ""}>
            <option value="">{t("any")}</option>
            {edition.ticketTypes.map((type) => (
              <option key={type.id} value={type.code}>
                {localized(type, "name", locale)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">{t("status")}</label>
          <select id="filter-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">{t("any")}</option>
            {ATTENDEE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`statusName.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-checked-in">{t("checkedIn")}</label>
          <select id="filter-checked-in" name="checkedIn" defaultValue={filter.checkedIn ?? ""}>
            <option value="">{t("any")}</option>
            <option value="yes">{t("yes")}</option>
            <option value="no">{t("no")}</option>
          </select>
        </div>
        <div className="field field-checkbox">
          <input
            id="filter-abandoned"
            type="checkbox"
            name="abandoned"
            value="show"
            defaultChecked={filter.abandoned === "show"}
          />
          <label htmlFor="filter-abandoned">{list("showAbandoned")}</label>
        </div>
        {filter.sort && <input type="hidden" name="sort" value={filter.sort} />}
        {filter.dir && <input type="hidden" name="dir" value={filter.dir} />}
        {answerChoices.length > 0 && (
          <div className="field">
            <label htmlFor="filter-answer">{t("answer")}</label>
            <select id="filter-answer" name="answer" defaultValue={filter.answer ?? ""}>
              <option value="">{t("any")}</option>
              {answerChoices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button">
          {t("apply")}
        </button>
        <Link href={base}>{t("reset")}</Link>
      </form>

      <p role="status" data-testid="attendee-count">
        {t("count", { total })}
      </p>
      {filter.abandoned !== "show" && filter.status === undefined && <p className="hint">{list("abandonedHidden")}</p>}
      {rows.length > 0 && (
        <>
          <AttendeeBulkActions
            formId={BULK_FORM}
            editionId={edition.id}
            badgesAction={`${base}/badges?${filterQuery({ sort: filter.sort, dir: filter.dir })}`}
            actions={{
              resend: bulkResendAction,
              checkIn: bulkCheckInAction,
              cancel: bulkCancelAction,
              cancelRefund: bulkCancelRefundAction,
            }}
          />
          <p className="hint">{list("timesIn", { zone: zoneName(edition.timeZone, locale, now) })}</p>
          <div className="table-scroll">
            <table className="data-table attendee-table">
              <caption className="visually-hidden">{t("title")}</caption>
              <thead>
                <tr>
                  <th scope="col" className="select-cell">
                    <SelectAllRows formId={BULK_FORM} label={list("selectAll")} />
                  </th>
                  <SortHeader column="name" label={t("name")} filter={filter} base={base} />
                  <SortHeader column="email" label={register("email")} filter={filter} base={base} />
                  <SortHeader column="company" label={list("company")} filter={filter} base={base} />
                  <SortHeader column="ticketType" label={t("ticketType")} filter={filter} base={base} />
                  <SortHeader column="status" label={t("status")} filter={filter} base={base} />
                  <SortHeader column="amount" label={list("amount")} filter={filter} base={base} numeric />
                  <SortHeader column="registeredAt" label={list("registeredAt")} filter={filter} base={base} />
                  <SortHeader column="checkedInAt" label={t("checkedIn")} filter={filter} base={base} />
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const status = attendeeStatus(row, now);
                  const name = `${row.lastName} ${row.firstName}`;
                  return (
                    <tr key={row.id}>
                      <td className="select-cell">
                        <input
                          type="checkbox"
                          name="ticketIds"
                          value={row.id}
                          form={BULK_FORM}
                          aria-label={list("select", { name })}
                        />
                      </td>
                      <td>
                        <Link href={`${base}/${row.id}`}>{name}</Link>
                        <span className="reference-cell row-reference">{row.order.reference}</span>
                      </td>
                      <td className="email-cell">{row.email}</td>
                      <td>{row.company}</td>
                      <td>{localized(row.ticketType, "name", locale)}</td>
                      <td>
                        <span className={`badge status-${status}`}>{t(`statusName.${status}`)}</span>
                      </td>
                      <td className="number">{formatMoney(row.order.amountCents, row.order.currency, locale)}</td>
                      <td className="time-cell">{shortTime(row.createdAt)}</td>
                      <td className="time-cell">{row.checkedInAt ? shortTime(row.checkedInAt) : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {pages > 1 && (
        <nav className="pagination" aria-label={t("pagination")}>
          {page > 1 && <Link href={`${base}?${filterQuery(filter, { page: String(page - 1) })}`}>{t("previous")}</Link>}
          <span>{t("pageOf", { page, pages })}</span>
          {page < pages && <Link href={`${base}?${filterQuery(filter, { page: String(page + 1) })}`}>{t("next")}</Link>}
        </nav>
      )}

      <section aria-labelledby="export-title">
        <h2 id="export-title">{t("exportTitle")}</h2>
        <form className="form" method="get" action={`${base}/export`}>
          {filterHidden.map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <p className="hint">{t("exportIntro", { total })}</p>
          <fieldset>
            <legend>{t("columns")}</legend>
            <div className="columns-choice">
              {columns.map((column) => (
                <label key={column.id}>
                  <input type="checkbox" name="columns" value={column.id} defaultChecked={DEFAULT_COLUMNS.includes(column.id) || column.id.startsWith("answer:")} />
                  {column.header[locale]}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="button-row">
            <button type="submit" name="format" value="csv" className="button">
              {t("downloadCsv")}
            </button>
            <button type="submit" name="format" value="xlsx" className="button button-secondary">
              {t("downloadXlsx")}
            </button>
          </div>
        </form>
        <h3 className="subsection">{t("badgesTitle")}</h3>
        <p className="hint">{t("badgesIntro")}</p>
        <div className="button-row">
          <a className="button button-secondary" href={`${base}/badges?${filterQuery(filter, { layout: "a6" })}`}>
            {t("badgesA6")}
          </a>
          <a className="button button-secondary" href={`${base}/badges?${filterQuery(filter, { layout: "labels" })}`}>
            {t("badgesLabels")}
          </a>
        </div>
      </section>

      <section aria-labelledby="complimentary-title">
        <h2 id="complimentary-title">{t("complimentaryTitle")}</h2>
        <p className="hint">{t("complimentaryIntro")}</p>
        <AdminForm
          action={addComplimentaryAction}
          idPrefix="complimentary"
          hidden={{ editionId: edition.id, editionSlug: edition.slug }}
          submitLabel={t("complimentaryAdd")}
          fields={[
            { name: "ticketType", label: t("ticketType"), type: "select", required: true, options: edition.ticketTypes.map((type) => ({ value: type.code, label: localized(type, "name", locale) })) },
            { name: "attendee.firstName", label: register("firstName"), required: true },
            { name: "attendee.lastName", label: register("lastName"), required: true },
            { name: "attendee.email", label: register("email"), type: "email", required: true },
            { name: "attendee.company", label: register("company") },
            { name: "locale", label: t("emailLanguage"), type: "select", options: [{ value: "fr", label: "Français" }, { value: "en", label: "English" }], defaultValue: locale },
          ]}
        />
      </section>
    </>
  );
}
