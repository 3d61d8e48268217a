import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LiveRefresh } from "@/components/admin/live-refresh";
import { RegistrationsChart } from "@/components/admin/registrations-chart";
import { db } from "@/lib/db/prisma";
import { holderName } from "@/lib/orders/holder";
import { getEditionDashboard } from "@/lib/reports/dashboard";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { editionForPage } from "./edition-for-page";
import { RefundsToFollow } from "./refunds-to-follow";
import { dashboardTitle } from "./section-title";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminAttendeePath, adminEditionPath, checkinPath } from "@/lib/http/paths";
import { DataTable } from "@/components/admin/data-table";
import { ActionButton } from "@/components/admin/action-button";
import { driftSize, seatCounterDrift } from "@/lib/capacity/counters";
import { recountSeatsAction } from "./seat-counter-actions";

const DOORS_OPEN_BEFORE_MS = 24 * 3600 * 1000;

export const generateMetadata = ({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> =>
  dashboardTitle(params);

export default async function EditionDashboardPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("dashboard");
  const tGroup = await getTranslations("groupTicket");
  const now = new Date();
  const stats = await getEditionDashboard(db(), edition, now);
  // A full count of the edition's tickets against its counters: cheap beside a page view, never on a claim.
  const seatsOff = driftSize(await seatCounterDrift(db(), edition.id));
  const tSeats = await getTranslations("seatCounters");
  const tBlocks = await getTranslations("allocations");
  const tWaiting = await getTranslations("waitingListAdmin");
  const waiting = stats.waitingList;
  const hasWaitingList = Object.values(waiting.entries).some((count) => count > 0);
  const money = (cents: number) => formatMoney(cents, edition.currency, locale);
  const percent = (part: number) => `${Math.min(100, (part / Math.max(stats.capacity, 1)) * 100).toFixed(1)}%`;
  const showCheckIn = stats.checkedIn > 0 || now.getTime() > edition.startsAt.getTime() - DOORS_OPEN_BEFORE_MS;
  return (
    <>
      <LiveRefresh seconds={10} label={t("updatedAt", { time: formatDateTime(now, edition.timeZone, locale) })} />
      <h2>{t("seatsTitle")}</h2>
      <dl className="stats">
        <div className="stat">
          <dt>{t("confirmed")}</dt>
          <dd data-testid="seats-confirmed">{stats.confirmed}</dd>
        </div>
        <div className="stat">
          <dt>{t("orders")}</dt>
          <dd data-testid="orders-confirmed">{stats.confirmedOrders}</dd>
        </div>
        <div className="stat">
          <dt>{t("held")}</dt>
          <dd data-testid="seats-held">{stats.held}</dd>
        </div>
        {stats.blocks.length > 0 && (
          <div className="stat">
            <dt>{tBlocks("dashboardReserved")}</dt>
            <dd data-testid="seats-reserved">{stats.reserved}</dd>
          </div>
        )}
        {hasWaitingList && (
          <div className="stat">
            <dt>{tWaiting("dashboardOffered")}</dt>
            <dd data-testid="seats-offered">{stats.offered}</dd>
          </div>
        )}
        <div className="stat">
          <dt>{t("left")}</dt>
          <dd data-testid="seats-left">{stats.left}</dd>
        </div>
        <div className="stat">
          <dt>{t("capacity")}</dt>
          <dd>{stats.capacity}</dd>
        </div>
      </dl>
      <div
        className="meter"
        role="img"
        aria-label={t("meterLabel", {
          confirmed: stats.confirmed,
          held: stats.held,
          reserved: stats.reserved,
          offered: stats.offered,
          capacity: stats.capacity,
        })}
      >
        <span className="confirmed" style={{ width: percent(stats.confirmed) }} />
        <span className="held" style={{ width: percent(stats.held) }} />
        <span className="reserved" style={{ width: percent(stats.reserved) }} />
        <span className="offered" style={{ width: percent(stats.offered) }} />
      </div>
      <div data-testid="seat-counters" className={seatsOff === 0 ? undefined : "notice"}>
        <p>{seatsOff === 0 ? tSeats("inStep") : tSeats("off", { count: seatsOff })}</p>
        {seatsOff > 0 && (
          <ActionButton
            action={recountSeatsAction}
            hidden={{ editionId: edition.id, editionSlug: edition.slug }}
            label={tSeats("recount")}
          />
        )}
      </div>

      {showCheckIn && (
        <>
          <h2>{t("checkInTitle")}</h2>
          <p data-testid="check-in-progress">
            {t("checkInProgress", { checkedIn: stats.checkedIn, expected: stats.confirmed })}
          </p>
          <progress max={Math.max(stats.confirmed, 1)} value={stats.checkedIn} aria-label={t("checkInTitle")} />
          <p>
            <a href={checkinPath(edition.slug)}>{t("openScanner")}</a>
          </p>
        </>
      )}
      {stats.offlineConflicts.length > 0 && (
        <section className="notice" aria-labelledby="conflicts-title">
          <h2 id="conflicts-title">{t("conflictsTitle")}</h2>
          <p>{t("conflictsIntro")}</p>
          <ul>
            {stats.offlineConflicts.map((conflict) => (
              <li key={conflict.id}>
                <a href={adminAttendeePath(edition.slug, conflict.ticket?.id ?? "")}>
                  {conflict.ticket && (holderName(conflict.ticket) ?? tGroup("unnamedInList"))}
                </a>{" "}
                · {formatDateTime(conflict.scannedAt, edition.timeZone, locale)} · {conflict.deviceId}
              </li>
            ))}
          </ul>
        </section>
      )}

      {(stats.refundsNeedingAttention.length > 0 || stats.orphanPayments.length > 0) && (
        <RefundsToFollow edition={edition} refunds={stats.refundsNeedingAttention} orphans={stats.orphanPayments} />
      )}

      <h2>{t("revenueTitle")}</h2>
      <dl className="stats">
        <div className="stat">
          <dt>{t("net")}</dt>
          <dd data-testid="revenue-net">{money(stats.netCents)}</dd>
        </div>
        <div className="stat">
          <dt>{t("gross")}</dt>
          <dd>{money(stats.grossCents)}</dd>
        </div>
        <div className="stat">
          <dt>{t("refunded")}</dt>
          <dd>{money(stats.refundedCents)}</dd>
        </div>
      </dl>

      <h2>{t("byTypeTitle")}</h2>
      <DataTable
        caption={t("byTypeTitle")}
        rows={stats.ticketTypes}
        rowKey={(type) => type.id}
        columns={[
          { header: t("ticketType"), rowHeader: true, cell: (type) => localized(type, "name", locale) },
          { header: t("confirmed"), number: true, cell: (type) => type.confirmed },
          { header: t("held"), number: true, cell: (type) => type.held },
          { header: t("left"), number: true, cell: (type) => type.left },
          { header: t("net"), number: true, cell: (type) => money(type.netCents) },
        ]}
      />

      {stats.blocks.length > 0 && (
        <>
          <h2>{tBlocks("dashboardTitle")}</h2>
          <DataTable
            caption={tBlocks("dashboardTitle")}
            rows={stats.blocks}
            rowKey={(block) => block.id}
            testId="dashboard-blocks"
            columns={[
              { header: tBlocks("name"), rowHeader: true, cell: (block) => block.name },
              { header: tBlocks("seats"), number: true, cell: (block) => block.seats },
              { header: tBlocks("used"), number: true, cell: (block) => block.used },
              { header: tBlocks("left"), number: true, cell: (block) => block.left },
              {
                header: tBlocks("release"),
                cell: (block) =>
                  tBlocks(block.releasedAt ? "releasedOn" : "releasesOn", {
                    date: formatDateTime(block.releasedAt ?? block.releaseAt, edition.timeZone, locale),
                  }),
              },
            ]}
          />
          <p>
            <a href={adminEditionPath(edition.slug, "allocations")}>{tBlocks("title")}</a>
          </p>
        </>
      )}

      {hasWaitingList && (
        <>
          <h2>{tWaiting("dashboardTitle")}</h2>
          <dl className="stats" data-testid="dashboard-waiting-list">
            <div className="stat">
              <dt>{tWaiting("waitingEntries")}</dt>
              <dd>{waiting.entries.WAITING}</dd>
            </div>
            <div className="stat">
              <dt>{tWaiting("seatsWanted")}</dt>
              <dd>{waiting.waitingSeats}</dd>
            </div>
            <div className="stat">
              <dt>{tWaiting("offersOut")}</dt>
              <dd>{waiting.offersOut}</dd>
            </div>
            <div className="stat">
              <dt>{tWaiting("converted")}</dt>
              <dd>{waiting.converted}</dd>
            </div>
            <div className="stat">
              <dt>{tWaiting("lapsed")}</dt>
              <dd>{waiting.lapsed}</dd>
            </div>
            <div className="stat">
              <dt>{tWaiting("declined")}</dt>
              <dd>{waiting.declined}</dd>
            </div>
            <div className="stat">
              <dt>{tWaiting("conversionRate")}</dt>
              <dd>
                {waiting.conversionRate === null
                  ? tWaiting("noRate")
                  : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(
                      waiting.conversionRate,
                    )}
              </dd>
            </div>
          </dl>
          <p>
            <a href={adminEditionPath(edition.slug, "waiting-list")}>{tWaiting("title")}</a>
          </p>
        </>
      )}

      <h2>{t("overTimeTitle")}</h2>
      {stats.registrationsPerDay.length === 0 ? (
        <p>{t("noRegistrations")}</p>
      ) : (
        <>
          <RegistrationsChart
            points={stats.registrationsPerDay}
            label={t("chartLabel", { days: stats.registrationsPerDay.length, total: stats.confirmed })}
            perDayLabel={t("perDayAxis")}
            totalLabel={t("totalAxis")}
          />
          <details>
            <summary>{t("chartData")}</summary>
            <DataTable
              caption={t("chartData")}
              rows={stats.registrationsPerDay}
              rowKey={(point) => point.day}
              columns={[
                { header: t("day"), cell: (point) => point.day },
                { header: t("registrations"), number: true, cell: (point) => point.count },
                { header: t("total"), number: true, cell: (point) => point.cumulative },
              ]}
            />
          </details>
        </>
      )}
    </>
  );
}
