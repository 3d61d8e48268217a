import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { answerFilterChoices, ATTENDEE_STATUSES, type AttendeeFilter } from "@/lib/attendees/query";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { AdminEdition } from "./admin-edition";

type Props = {
  edition: AdminEdition;
  filter: AttendeeFilter;
  base: string;
  locale: Locale;
  /** The tags of the edition's codes: the tickets bought with one tag's codes. */
  voucherTags?: string[];
};

/** The list's filters, a GET form so a filtered list is a link; the sort order survives a new filter. */
export async function AttendeeFilters({ edition, filter, base, locale, voucherTags = [] }: Props) {
  const t = await getTranslations("attendees");
  const codes = await getTranslations("voucherAdmin.attendees");
  const list = await getTranslations("attendeeList");
  const answerChoices = answerFilterChoices(edition.questions).map(({ value, question, answer }) => ({
    value,
    label: t("answerChoice", {
      question: localized(question, "label", locale),
      answer: typeof answer === "boolean" ? t(answer ? "yes" : "no") : localized(answer, "label", locale),
    }),
  }));
  return (
    <form className="filters" method="get" role="search" aria-label={t("filtersLabel")}>
      <div className="field">
        <label htmlFor="filter-q">{t("search")}</label>
        <input
          id="filter-q"
          name="q"
          type="search"
          defaultValue={filter.q ?? ""}
          placeholder={t("searchPlaceholder")}
        />
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
      {(
        [
          ["checkedIn", "filter-checked-in", t("checkedIn"), t("no")],
          ["named", "filter-named", t("named"), t("namedNo")],
        ] as const
      ).map(([name, id, label, no]) => (
        <div className="field" key={name}>
          <label htmlFor={id}>{label}</label>
          <select id={id} name={name} defaultValue={filter[name] ?? ""}>
            <option value="">{t("any")}</option>
            <option value="yes">{t("yes")}</option>
            <option value="no">{no}</option>
          </select>
        </div>
      ))}
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
      {voucherTags.length > 0 && (
        <div className="field">
          <label htmlFor="filter-voucher-tag">{codes("tagFilter")}</label>
          <select id="filter-voucher-tag" name="voucherTag" defaultValue={filter.voucherTag ?? ""}>
            <option value="">{codes("anyTag")}</option>
            {voucherTags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
      )}
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
  );
}
