import { z } from "zod";
import { confirmedSeatWhere, heldSeatWhere, holdRunning } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { isSafeText } from "@/lib/forms/fields";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Locale } from "@/lib/i18n/locales";
import { recordStanding } from "@/lib/tickets/standing";

export const ATTENDEE_STATUSES = ["confirmed", "pending", "cancelled", "refunded", "expired"] as const;
export type AttendeeStatus = (typeof ATTENDEE_STATUSES)[number];

export const ATTENDEE_SORTS = [
  "name",
  "email",
  "company",
  "ticketType",
  "status",
  "amount",
  "registeredAt",
  "checkedInAt",
] as const;
export type AttendeeSort = (typeof ATTENDEE_SORTS)[number];

// Text that cannot reach Postgres (NUL, invalid UTF-8) is no filter at all.
const optionalParam = <T extends z.ZodType>(schema: T) =>
  z
    .preprocess((value) => (Array.isArray(value) ? value[0] : value) || undefined, schema.optional())
    .refine((value) => typeof value !== "string" || isSafeText(value));

/** The attendee list's filters, from a query string; anything malformed is ignored rather than refused. */
export const attendeeFilterSchema = z.object({
  q: optionalParam(z.string().trim().max(200)).catch(undefined),
  ticketType: optionalParam(z.string().max(64)).catch(undefined),
  status: optionalParam(z.enum(ATTENDEE_STATUSES)).catch(undefined),
  checkedIn: optionalParam(z.enum(["yes", "no"])).catch(undefined),
  // "no": a team's tickets still waiting for their attendee's name.
  named: optionalParam(z.enum(["yes", "no"])).catch(undefined),
  // "key=value" of a select or checkbox question.
  answer: optionalParam(z.string().regex(/^[a-z][a-z0-9_]*=[^=]{1,100}$/)).catch(undefined),
  // Abandoned checkouts (a "back" on the payment page, a hold that lapsed) are hidden unless asked for.
  abandoned: optionalParam(z.enum(["show"])).catch(undefined),
  sort: optionalParam(z.enum(ATTENDEE_SORTS)).catch(undefined),
  dir: optionalParam(z.enum(["asc", "desc"])).catch(undefined),
  page: optionalParam(z.coerce.number().int().min(1).max(100_000)).catch(undefined),
});

/** The filter from the query string, or a selection of tickets made in the list (bulk actions). */
export type AttendeeFilter = z.output<typeof attendeeFilterSchema> & { ticketIds?: string[] };

export function parseAttendeeFilter(
  params: Record<string, string | string[] | undefined> | URLSearchParams,
): AttendeeFilter {
  const record = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  return attendeeFilterSchema.parse(record);
}

/** The filter as a query string, without the page: for links to other pages, exports and badges. */
export function filterQuery(filter: AttendeeFilter, extra: Record<string, string> = {}): string {
  const entries = Object.entries({ ...filter, page: undefined, ...extra }).filter(
    ([, value]) => value !== undefined && value !== "",
  );
  return new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString();
}

function statusWhere(status: AttendeeStatus | undefined, now: Date): Prisma.TicketWhereInput {
  switch (status) {
    case undefined:
      return {};
    case "confirmed":
      return confirmedSeatWhere;
    case "pending":
      return heldSeatWhere(now);
    case "expired":
      return { order: { OR: [{ status: "EXPIRED" }, { status: "PENDING", holdExpiresAt: { lte: now } }] } };
    // As recordStanding reads them: a ticket refunded on its own is refunded whatever its order became.
    case "refunded":
      return { OR: [{ order: { status: "REFUNDED" } }, { status: "REFUNDED" }] };
    case "cancelled":
      return {
        OR: [
          { order: { status: "CANCELLED" }, status: { not: "REFUNDED" } },
          { status: "CANCELLED", order: { status: "CONFIRMED" } },
        ],
      };
  }
}

/**
 * Orders that never became a registration: a checkout cancelled from the payment page, or a hold
 * that lapsed unpaid. The list and the default export leave them out unless asked, or unless a
 * status is chosen (then that status is shown whole).
 */
function abandonedWhere(filter: AttendeeFilter, now: Date): Prisma.TicketWhereInput {
  if (filter.abandoned === "show" || filter.status !== undefined || filter.ticketIds) return {};
  return {
    NOT: {
      order: {
        OR: [
          { status: "EXPIRED" },
          { status: "PENDING", OR: [{ holdExpiresAt: null }, { holdExpiresAt: { lte: now } }] },
          { status: "CANCELLED", statusReason: "checkout_cancelled" },
        ],
      },
    },
  };
}

function answerWhere(answer: string | undefined): Prisma.TicketWhereInput {
  if (!answer) return {};
  const [key, value] = answer.split("=");
  const expected = value === "true" ? true : value === "false" ? false : value;
  // An unticked checkbox may be stored as false or not stored at all.
  if (expected === false) return { NOT: { answers: { path: [key], equals: true } } };
  return { answers: { path: [key], equals: expected } };
}

/** `contains` is a LIKE pattern: a typed % or _ means itself, not "anything". */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export function attendeeWhere(editionId: string, filter: AttendeeFilter, now: Date): Prisma.TicketWhereInput {
  const q = filter.q === undefined ? undefined : likeLiteral(filter.q);
  return {
    editionId,
    AND: [
      statusWhere(filter.status, now),
      abandonedWhere(filter, now),
      filter.ticketIds ? { id: { in: filter.ticketIds } } : {},
      answerWhere(filter.answer),
      filter.ticketType ? { ticketType: { code: filter.ticketType } } : {},
      filter.checkedIn === "yes"
        ? { checkedInAt: { not: null } }
        : filter.checkedIn === "no"
          ? { checkedInAt: null }
          : {},
      // Named or not is one column's fact: the database keeps a ticket's name and email set or unset together.
      filter.named === "yes" ? { email: { not: null } } : filter.named === "no" ? { email: null } : {},
      q
        ? {
            OR: [
              { firstName: { contains: q, mode: "insensitive" } },
              { lastName: { contains: q, mode: "insensitive" } },
              { email: { contains: q, mode: "insensitive" } },
              { company: { contains: q, mode: "insensitive" } },
              { order: { reference: { contains: q.toUpperCase() } } },
            ],
          }
        : {},
    ],
  };
}

export const attendeeRowSelect = {
  id: true,
  firstName: true,
  lastName: true,
  email: true,
  company: true,
  answers: true,
  priceCents: true,
  status: true,
  codeVersion: true,
  editionId: true,
  checkedInAt: true,
  createdAt: true,
  ticketType: { select: { code: true, nameFr: true, nameEn: true } },
  order: {
    select: {
      id: true,
      reference: true,
      status: true,
      holdExpiresAt: true,
      amountCents: true,
      buyerFirstName: true,
      buyerLastName: true,
      buyerEmail: true,
      buyerCompany: true,
      currency: true,
      locale: true,
      confirmedAt: true,
      createdAt: true,
    },
  },
} satisfies Prisma.TicketSelect;

export type AttendeeRow = Prisma.TicketGetPayload<{ select: typeof attendeeRowSelect }>;

/**
 * The list's order for a sort key. Text columns carry an ICU collation (migration
 * 20261126140000), so "Łukasiewicz" comes before "Torvalds" here, in exports and on badges;
 * empty companies and arrivals go last either way; the id makes the order total.
 */
export function attendeeOrderBy(
  filter: Pick<AttendeeFilter, "sort" | "dir">,
  locale: Locale = "fr",
): Prisma.TicketOrderByWithRelationInput[] {
  const dir = filter.dir ?? "asc";
  const byName: Prisma.TicketOrderByWithRelationInput[] = [{ lastName: "asc" }, { firstName: "asc" }];
  const keys: Record<AttendeeSort, Prisma.TicketOrderByWithRelationInput[]> = {
    name: [{ lastName: dir }, { firstName: dir }],
    email: [{ email: dir }],
    company: [{ company: { sort: dir, nulls: "last" } }, ...byName],
    ticketType: [{ ticketType: locale === "fr" ? { nameFr: dir } : { nameEn: dir } }, ...byName],
    status: [{ order: { status: dir } }, { status: dir }, ...byName],
    // A ticket's own price: a team's order is split over its rows.
    amount: [{ priceCents: dir }, ...byName],
    registeredAt: [{ createdAt: dir }],
    checkedInAt: [{ checkedInAt: { sort: dir, nulls: "last" } }, ...byName],
  };
  return [...keys[filter.sort ?? "name"], { id: "asc" }];
}

/** What the attendee list shows: the row's status as organisers think of it. */
export function attendeeStatus(row: Pick<AttendeeRow, "status" | "order">, now: Date): AttendeeStatus {
  const { order } = row;
  const standing = recordStanding(row, order);
  if (standing !== "unpaid") return standing === "valid" ? "confirmed" : standing;
  return order.status === "PENDING" && holdRunning(order.holdExpiresAt, now) ? "pending" : "expired";
}

export const PAGE_SIZE = 50;

export async function listAttendees(
  db: Db,
  editionId: string,
  filter: AttendeeFilter,
  now = new Date(),
  locale: Locale = "fr",
) {
  const where = attendeeWhere(editionId, filter, now);
  const page = filter.page ?? 1;
  const orderBy = attendeeOrderBy(filter, locale);
  const [rows, total] = await Promise.all([
    db.ticket.findMany({ where, select: attendeeRowSelect, orderBy, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
    db.ticket.count({ where }),
  ]);
  return { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/**
 * Every attendee matching the filter, in the list's order, read in batches: an export of 10,000
 * rows holds one batch of rows in memory at a time. The order is read first, as ids only (36 bytes
 * a row), then the rows by batches of ids. A keyset cursor would need one comparison per sort
 * column, with NULLs (no company, not arrived yet) and joined columns (ticket type, amount) to get
 * right for each ordering; the ids are right for all of them, and are one snapshot of the order.
 */
export async function* streamAttendees(
  db: Db,
  editionId: string,
  filter: AttendeeFilter,
  { batchSize = 500, now = new Date(), locale = "fr" as Locale } = {},
): AsyncGenerator<AttendeeRow> {
  const where = attendeeWhere(editionId, filter, now);
  const ordered = await db.ticket.findMany({ where, select: { id: true }, orderBy: attendeeOrderBy(filter, locale) });
  for (let start = 0; start < ordered.length; start += batchSize) {
    const ids = ordered.slice(start, start + batchSize).map((row) => row.id);
    const batch = await db.ticket.findMany({ where: { id: { in: ids } }, select: attendeeRowSelect });
    const rows = new Map(batch.map((row) => [row.id, row]));
    for (const id of ids) {
      const row = rows.get(id);
      if (row) yield row;
    }
  }
}
