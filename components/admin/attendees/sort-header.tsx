import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { filterQuery, type AttendeeFilter, type AttendeeSort } from "@/lib/attendees/query";

type Props = { column: AttendeeSort; label: string; filter: AttendeeFilter; base: string; numeric?: boolean };

/** A column header that sorts the list by its column: the same link sorts the other way once active. */
export async function SortHeader({ column, label, filter, base, numeric }: Props) {
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
