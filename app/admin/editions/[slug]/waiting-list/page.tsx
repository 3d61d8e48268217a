import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { DataTable } from "@/components/admin/data-table";
import { db } from "@/lib/db/prisma";
import { adminEditionPath, adminWaitingListExportPath } from "@/lib/http/paths";
import { formatDateTime, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { ENTRY_STATUSES, listWaitingList, waitingListFigures } from "@/lib/waitlist/admin";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { offerManuallyAction, pauseWaitingListAction, removeEntryAction } from "./actions";

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabWaitingList");

const statusFilter = z.enum(ENTRY_STATUSES).optional().catch(undefined);

export default async function WaitingListPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ status?: string | string[] }>;
}) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("waitingListAdmin");
  const status = statusFilter.parse((await searchParams).status);
  const [entries, figures] = await Promise.all([
    listWaitingList(db(), edition.id, { status }),
    waitingListFigures(db(), edition.id),
  ]);
  const when = (date: Date) => formatDateTime(date, edition.timeZone, locale);
  const base = adminEditionPath(edition.slug, "waiting-list");
  const hidden = { editionId: edition.id, editionSlug: edition.slug };
  return (
    <>
      <h2>{t("title")}</h2>
      <ul className="stat-list" data-testid="waiting-list-counts">
        {ENTRY_STATUSES.map((entryStatus) => (
          <li key={entryStatus}>
            {t("count", { status: t(`status.${entryStatus}`), count: figures.entries[entryStatus] })}
          </li>
        ))}
        <li>{t("waitingSeats", { count: figures.waitingSeats })}</li>
      </ul>
      <p role="status">{edition.waitingListPaused ? t("pausedNotice") : t("runningNotice")}</p>
      <ActionButton
        action={pauseWaitingListAction}
        hidden={{ ...hidden, paused: String(!edition.waitingListPaused) }}
        label={edition.waitingListPaused ? t("resume") : t("pause")}
      />
      <form method="get" action={base} aria-label={t("filters")}>
        <div className="field">
          <label htmlFor="waiting-status">{t("filter")}</label>
          <select id="waiting-status" name="status" defaultValue={status ?? ""}>
            <option value="">{t("allStatuses")}</option>
            {ENTRY_STATUSES.map((entryStatus) => (
              <option key={entryStatus} value={entryStatus}>
                {t(`status.${entryStatus}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("apply")}
        </button>
        {status && <Link href={base}>{t("reset")}</Link>}
      </form>
      <p>
        <a href={adminWaitingListExportPath(edition.slug, { lang: locale })} download>
          {t("export")}
        </a>
      </p>
      {entries.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <DataTable
          caption={t("title")}
          rows={entries}
          rowKey={(entry) => entry.id}
          testId="waiting-list"
          columns={[
            { header: t("position"), number: true, cell: (entry) => entry.position },
            {
              header: t("name"),
              rowHeader: true,
              cell: (entry) => (
                <>
                  {entry.name}
                  <br />
                  <span className="muted">{entry.email}</span>
                </>
              ),
            },
            {
              header: t("seats"),
              number: true,
              cell: (entry) =>
                entry.acceptsFewer ? t("seatsOrFewer", { seats: entry.seatsWanted }) : entry.seatsWanted,
            },
            {
              header: t("types"),
              cell: (entry) => entry.ticketTypes.map((type) => localized(type, "name", locale)).join(", "),
            },
            { header: t("joined"), cell: (entry) => when(entry.joinedAt) },
            { header: t("statusHeader"), cell: (entry) => t(`status.${entry.shownStatus}`) },
            {
              header: t("offer"),
              cell: (entry) =>
                entry.offer
                  ? [
                      t("offerOf", {
                        seats: entry.offer.seats,
                        type: localized(entry.offer.ticketType, "name", locale),
                        status: t(`offerStatus.${entry.offer.status}`),
                      }),
                      entry.offer.expiresAt && entry.offer.status === "OFFERED"
                        ? t("expires", { date: when(entry.offer.expiresAt) })
                        : null,
                      entry.offer.manual ? t("manual") : null,
                      entry.offer.status === "CONVERTED" && entry.offer.ticketsTaken !== null
                        ? t("ticketsTaken", { count: entry.offer.ticketsTaken })
                        : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")
                  : "",
            },
            { header: t("order"), cell: (entry) => entry.offer?.orderReference ?? "" },
            {
              header: t("actions"),
              cell: (entry) =>
                entry.status === "WAITING" || entry.status === "OFFERED" ? (
                  <>
                    {entry.status === "WAITING" && entry.offer?.status !== "GATHERING" && (
                      <details>
                        <summary>{t("offerNow")}</summary>
                        <AdminForm
                          action={offerManuallyAction}
                          idPrefix={`offer-${entry.id}`}
                          hidden={{ ...hidden, entryId: entry.id }}
                          submitLabel={t("offerNowNamed", { name: entry.name })}
                          fields={[
                            {
                              name: "seats",
                              label: t("offerSeats"),
                              type: "number",
                              inputMode: "numeric",
                              required: true,
                              defaultValue: String(entry.seatsWanted),
                            },
                            {
                              name: "ticketTypeId",
                              label: t("offerType"),
                              type: "select",
                              defaultValue: entry.ticketTypes[0]?.id,
                              options: entry.ticketTypes.map((type) => ({
                                value: type.id,
                                label: localized(type, "name", locale),
                              })),
                            },
                          ]}
                        />
                      </details>
                    )}
                    <ActionButton
                      action={removeEntryAction}
                      hidden={{ ...hidden, entryId: entry.id }}
                      label={t("remove")}
                      accessibleLabel={t("removeNamed", { name: entry.name })}
                      confirm={t("removeConfirm", { name: entry.name })}
                      danger
                    />
                  </>
                ) : null,
            },
          ]}
        />
      )}
    </>
  );
}
