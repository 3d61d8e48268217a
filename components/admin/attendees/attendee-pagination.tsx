import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { filterQuery, type AttendeeFilter } from "@/lib/attendees/query";

type Props = { filter: AttendeeFilter; base: string; page: number; pages: number };

export async function AttendeePagination({ filter, base, page, pages }: Props) {
  const t = await getTranslations("attendees");
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("pagination")}>
      {page > 1 && <Link href={`${base}?${filterQuery(filter, { page: String(page - 1) })}`}>{t("previous")}</Link>}
      <span>{t("pageOf", { page, pages })}</span>
      {page < pages && <Link href={`${base}?${filterQuery(filter, { page: String(page + 1) })}`}>{t("next")}</Link>}
    </nav>
  );
}
