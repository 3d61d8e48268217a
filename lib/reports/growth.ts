import { confirmedSeat } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { getEditionDashboard } from "./dashboard";

/** Points of the registration curves read out in the table and the CSV: weeks and days before the doors open. */
export const CURVE_CHECKPOINTS = [90, 60, 30, 14, 7, 1, 0] as const;

export type CurvePoint = { daysBefore: number; cumulative: number };

const DAY_MS = 24 * 3600 * 1000;

/** The calendar day an instant falls on in a time zone, as YYYY-MM-DD. */
function dayIn(timeZone: string, instant: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);
}

/**
 * Registrations made by the end of the day `daysBefore` days before the event, from a curve sorted by daysBefore,
 * descending.
 */
export function cumulativeAt(curve: CurvePoint[], daysBefore: number): number {
  let total = 0;
  for (const point of curve) if (point.daysBefore >= daysBefore) total = point.cumulative;
  return total;
}

/**
 * Distinct attendees per edition (live tickets of confirmed orders, by email, case-insensitive), and how many
 * of them held such a ticket at an edition that started earlier.
 */
async function returningAttendees(db: Db): Promise<Map<string, { attendees: number; returning: number }>> {
  const rows = await db.$queryRaw<{ editionId: string; attendees: bigint; returning: bigint }[]>`
    WITH attendee AS (
      SELECT DISTINCT t."editionId", lower(t.email) AS email, e."startsAt"
      FROM "Ticket" t
      JOIN "Order" o ON o.id = t."orderId"
      JOIN "Edition" e ON e.id = t."editionId"
      -- An unnamed ticket's attendee is not known yet: nobody to count as new or returning.
      WHERE ${confirmedSeat} AND e.status <> 'DRAFT' AND t.email IS NOT NULL
    )
    SELECT a."editionId", count(*) AS attendees,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM attendee earlier WHERE earlier.email = a.email AND earlier."startsAt" < a."startsAt"
           )) AS returning
    FROM attendee a
    GROUP BY a."editionId"`;
  return new Map(
    rows.map((row) => [row.editionId, { attendees: Number(row.attendees), returning: Number(row.returning) }]),
  );
}

/**
 * Every edition past draft, oldest first, side by side: its registration curve aligned on the days before it
 * starts, attendance and check-in, returning and new attendees, ticket-type mix and revenue. Seats, revenue
 * and the curve come from each edition's dashboard, so the two views never disagree.
 */
export async function getGrowth(db: Db, now = new Date()) {
  const editions = await db.edition.findMany({
    where: { status: { not: "DRAFT" } },
    orderBy: { startsAt: "asc" },
    include: { ticketTypes: { orderBy: [{ position: "asc" }, { code: "asc" }] } },
  });
  const people = await returningAttendees(db);
  const figures = [];
  for (const edition of editions) {
    const dashboard = await getEditionDashboard(db, edition, now);
    const eventDay = dayIn(edition.timeZone, edition.startsAt);
    const curve = dashboard.registrationsPerDay
      .map((point) => ({ daysBefore: daysBetween(point.day, eventDay), cumulative: point.cumulative }))
      .sort((a, b) => b.daysBefore - a.daysBefore);
    const { attendees, returning } = people.get(edition.id) ?? { attendees: 0, returning: 0 };
    const started = edition.startsAt <= now;
    figures.push({
      id: edition.id,
      slug: edition.slug,
      nameFr: edition.nameFr,
      nameEn: edition.nameEn,
      startsAt: edition.startsAt,
      timeZone: edition.timeZone,
      status: edition.status,
      capacity: edition.capacity,
      currency: edition.currency,
      registrations: dashboard.confirmed,
      checkedIn: dashboard.checkedIn,
      // Before the doors open a rate would only say "nobody yet".
      checkInRate: started && dashboard.confirmed > 0 ? dashboard.checkedIn / dashboard.confirmed : null,
      // Where today falls on the curve's axis: an edition still selling has no curve beyond it.
      daysBeforeNow: daysBetween(dayIn(edition.timeZone, now), eventDay),
      attendees,
      returning,
      newcomers: attendees - returning,
      netCents: dashboard.netCents,
      ticketTypes: dashboard.ticketTypes.map((type) => ({
        code: type.code,
        nameFr: type.nameFr,
        nameEn: type.nameEn,
        confirmed: type.confirmed,
      })),
      curve,
    });
  }
  return figures;
}

export type EditionGrowth = Awaited<ReturnType<typeof getGrowth>>[number];
