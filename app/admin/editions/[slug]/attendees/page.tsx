import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AttendeeBulkActions } from "@/components/admin/attendee-bulk";
import { AttendeeFilters } from "@/components/admin/attendees/attendee-filters";
import { AttendeePagination } from "@/components/admin/attendees/attendee-pagination";
import { ATTENDEE_BULK_FORM, AttendeeTable } from "@/components/admin/attendees/attendee-table";
import { ComplimentaryForm } from "@/components/admin/attendees/complimentary-form";
import { ExportPanel } from "@/components/admin/attendees/export-panel";
import { filterQuery, listAttendees, parseAttendeeFilter } from "@/lib/attendees/query";
import { db } from "@/lib/db/prisma";
import { voucherTags } from "@/lib/vouchers/list";
import { addComplimentaryAction } from "./actions";
import { bulkCancelAction, bulkCancelRefundAction, bulkCheckInAction, bulkResendAction } from "./bulk-actions";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminEditionPath, adminNewMessagePath } from "@/lib/http/paths";

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabAttendees");

type PageProps = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function AttendeesPage({ params, searchParams }: PageProps) {
  const { edition } = await editionForPage(params, "orders:manage");
  const locale = await currentLocale();
  const t = await getTranslations("attendees");
  const list = await getTranslations("attendeeList");
  const now = new Date();
  const filter = parseAttendeeFilter(await searchParams);
  const [{ rows, total, page, pages }, tags] = await Promise.all([
    listAttendees(db(), edition.id, filter, now, locale),
    voucherTags(db(), edition.id),
  ]);
  const base = adminEditionPath(edition.slug, "attendees");
  return (
    <>
      <AttendeeFilters edition={edition} filter={filter} base={base} locale={locale} voucherTags={tags} />

      <p role="status" data-testid="attendee-count">
        {t("count", { total })}
      </p>
      {filter.abandoned !== "show" && filter.status === undefined && <p className="hint">{list("abandonedHidden")}</p>}
      {rows.length > 0 && (
        <>
          <AttendeeBulkActions
            formId={ATTENDEE_BULK_FORM}
            editionId={edition.id}
            badgesAction={`${base}/badges?${filterQuery({ sort: filter.sort, dir: filter.dir })}`}
            actions={{
              resend: bulkResendAction,
              checkIn: bulkCheckInAction,
              cancel: bulkCancelAction,
              cancelRefund: bulkCancelRefundAction,
            }}
          />
          <AttendeeTable
            rows={rows}
            filter={filter}
            base={base}
            slug={edition.slug}
            locale={locale}
            timeZone={edition.timeZone}
            now={now}
          />
        </>
      )}
      <AttendeePagination filter={filter} base={base} page={page} pages={pages} />
      {total > 0 && (
        <p>
          {/* The list's own filters carry over, its search box too: the message reaches the rows shown. */}
          <a
            href={adminNewMessagePath(edition.slug, {
              q: filter.q,
              ticketType: filter.ticketType,
              status: filter.status ?? "confirmed",
              checkedIn: filter.checkedIn,
              named: filter.named,
              answer: filter.answer,
              voucherTag: filter.voucherTag,
            })}
          >
            {list("writeTo")}
          </a>
        </p>
      )}

      <ExportPanel edition={edition} filter={filter} base={base} locale={locale} total={total} />
      <ComplimentaryForm edition={edition} locale={locale} action={addComplimentaryAction} />
    </>
  );
}
