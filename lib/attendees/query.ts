import { z } from "zod";
import { confirmedSeat, heldSeat, holdRunning } from "@/lib/capacity/seats";
import { cursorRows } from "@/lib/db/cursor";
import type { Db } from "@/lib/db/prisma";
import { isSafeText } from "@/lib/forms/fields";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Locale } from "@/lib/i18n/locales";
import { questionOptions, type QuestionOption } from "@/lib/editions/answers";
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
  // The tag of the code the ticket was bought with (a sponsor's, "speakers").
  voucherTag: optionalParam(z.string().trim().max(100)).catch(undefined),
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

// The list's filters and orders, in SQL: the page, the exports, the badges and the door's search all read
// through them, the exports and badges with a cursor (one query, one sort, one batch in memory at a time).

const sql = Prisma.sql;
const NO_FILTER = sql`TRUE`;

function statusSql(status: AttendeeStatus | undefined, now: Date): Prisma.Sql {
  switch (status) {
    case undefined:
      return NO_FILTER;
    case "confirmed":
      return confirmedSeat;
    case "pending":
      return heldSeat(now);
    case "expired":
      return sql`(o.status = 'EXPIRED' OR (o.status = 'PENDING' AND o."holdExpiresAt" <= ${now}))`;
    // As recordStanding reads them: a ticket refunded on its own is refunded whatever its order became.
    case "refunded":
      return sql`(o.status = 'REFUNDED' OR t.status = 'REFUNDED')`;
    case "cancelled":
      return sql`((o.status = 'CANCELLED' AND t.status <> 'REFUNDED')
                  OR (t.status = 'CANCELLED' AND o.status = 'CONFIRMED'))`;
  }
}

/**
 * Orders that never became a registration: a checkout cancelled from the payment page, or a hold
 * that lapsed unpaid. The list and the default export leave them out unless asked, or unless a
 * status is chosen (then that status is shown whole).
 */
function abandonedSql(filter: AttendeeFilter, now: Date): Prisma.Sql {
  if (filter.abandoned === "show" || filter.status !== undefined || filter.ticketIds) return NO_FILTER;
  return sql`NOT coalesce(o.status = 'EXPIRED'
    OR (o.status = 'PENDING' AND (o."holdExpiresAt" IS NULL OR o."holdExpiresAt" <= ${now}))
    OR (o.status = 'CANCELLED' AND o."statusReason" = 'checkout_cancelled'), false)`;
}

function answerSql(answer: string | undefined): Prisma.Sql {
  if (!answer) return NO_FILTER;
  const [key, value] = answer.split("=");
  const expected = value === "true" ? true : value === "false" ? false : value;
  // An unticked checkbox may be stored as false or not stored at all.
  if (expected === false) return sql`(t.answers -> ${key}) IS DISTINCT FROM 'true'::jsonb`;
  return sql`(t.answers -> ${key}) = ${JSON.stringify(expected)}::jsonb`;
}

type FilterQuestion = { key: string; type: "TEXT" | "SELECT" | "CHECKBOX"; labelFr: string; labelEn: string };

/**
 * The answer filter's only values for an edition's questions, as answerSql reads them: `key=value` of each option of
 * a select, `key=true` and `key=false` of a checkbox. The list's dropdown and the message composer offer these; a
 * message refuses any other.
 */
export function answerFilterChoices<Q extends FilterQuestion & { options: unknown }>(questions: Q[]) {
  return questions.flatMap((question): { value: string; question: Q; answer: QuestionOption | boolean }[] => {
    if (question.type === "SELECT") {
      return questionOptions(question).map((option) => ({
        value: `${question.key}=${option.value}`,
        question,
        answer: option,
      }));
    }
    if (question.type === "CHECKBOX") {
      return [true, false].map((answer) => ({ value: `${question.key}=${answer}`, question, answer }));
    }
    return [];
  });
}

/** A typed `%` or `_` means itself, not "anything", in a LIKE pattern. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** The tickets of `editionId` the filter keeps, over `t` (Ticket), `o` (its Order) and `tt` (its TicketType). */
export function attendeeWhereSql(editionId: string, filter: AttendeeFilter, now: Date): Prisma.Sql {
  const q = filter.q === undefined ? undefined : `%${likeLiteral(filter.q)}%`;
  const conditions = [
    statusSql(filter.status, now),
    abandonedSql(filter, now),
    filter.ticketIds ? sql`t.id = ANY(${filter.ticketIds}::uuid[])` : NO_FILTER,
    answerSql(filter.answer),
    filter.ticketType ? sql`tt.code = ${filter.ticketType}` : NO_FILTER,
    filter.voucherTag
      ? sql`t."voucherId" IN (SELECT v.id FROM "Voucher" v WHERE v."editionId" = ${editionId}::uuid
             AND v.tag = ${filter.voucherTag})`
      : NO_FILTER,
    filter.checkedIn === "yes"
      ? sql`t."checkedInAt" IS NOT NULL`
      : filter.checkedIn === "no"
        ? sql`t."checkedInAt" IS NULL`
        : NO_FILTER,
    // Named or not is one column's fact: the database keeps a ticket's name and email set or unset together.
    filter.named === "yes" ? sql`t.email IS NOT NULL` : filter.named === "no" ? sql`t.email IS NULL` : NO_FILTER,
    q
      ? sql`(t."firstName" ILIKE ${q} OR t."lastName" ILIKE ${q} OR t.email ILIKE ${q} OR t.company ILIKE ${q}
             OR o.reference LIKE ${q.toUpperCase()})`
      : NO_FILTER,
  ].filter((condition) => condition !== NO_FILTER);
  return sql`t."editionId" = ${editionId}::uuid AND ${Prisma.join([sql`TRUE`, ...conditions], " AND ")}`;
}

/** A ticket with its order and type, as the list's filters and rows read them. */
export const ATTENDEE_FROM = sql`"Ticket" t JOIN "Order" o ON o.id = t."orderId" AND o."editionId" = t."editionId"
  JOIN "TicketType" tt ON tt.id = t."ticketTypeId"`;

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
  voucher: { select: { code: true } },
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
export function attendeeOrderSql(filter: Pick<AttendeeFilter, "sort" | "dir">, locale: Locale = "fr"): Prisma.Sql {
  const dir = Prisma.raw(filter.dir === "desc" ? "DESC" : "ASC");
  const byName = sql`t."lastName" ASC, t."firstName" ASC`;
  const keys: Record<AttendeeSort, Prisma.Sql> = {
    name: sql`t."lastName" ${dir}, t."firstName" ${dir}`,
    email: sql`t.email ${dir}`,
    company: sql`t.company ${dir} NULLS LAST, ${byName}`,
    ticketType: sql`${Prisma.raw(locale === "fr" ? 'tt."nameFr"' : 'tt."nameEn"')} ${dir}, ${byName}`,
    status: sql`o.status ${dir}, t.status ${dir}, ${byName}`,
    // A ticket's own price: a team's order is split over its rows.
    amount: sql`t."priceCents" ${dir}, ${byName}`,
    registeredAt: sql`t."createdAt" ${dir}`,
    checkedInAt: sql`t."checkedInAt" ${dir} NULLS LAST, ${byName}`,
  };
  return sql`${keys[filter.sort ?? "name"]}, t.id ASC`;
}

// The row attendeeRowSelect describes, as one SELECT list; rowOf nests it as Prisma would.
const ATTENDEE_COLUMNS = sql`t.id, t."firstName", t."lastName", t.email, t.company, t.answers, t."priceCents",
  t.status::text AS status, t."codeVersion", t."editionId", t."checkedInAt", t."createdAt",
  tt.code AS "tt_code", tt."nameFr" AS "tt_nameFr", tt."nameEn" AS "tt_nameEn",
  o.id AS "o_id", o.reference AS "o_reference", o.status::text AS "o_status", o."holdExpiresAt" AS "o_holdExpiresAt",
  o."amountCents" AS "o_amountCents", o."buyerFirstName" AS "o_buyerFirstName", o."buyerLastName" AS "o_buyerLastName",
  o."buyerEmail" AS "o_buyerEmail", o."buyerCompany" AS "o_buyerCompany", o.currency AS "o_currency",
  o.locale::text AS "o_locale", o."confirmedAt" AS "o_confirmedAt", o."createdAt" AS "o_createdAt",
  (SELECT v.code FROM "Voucher" v WHERE v.id = t."voucherId") AS "v_code"`;

type FlatRow = Record<string, unknown>;

/**
 * A row read FROM ATTENDEE_FROM with its order's columns as `o_…`, its type's as `tt_…` and its code's as `v_…` (null
 * without a code), nested as Prisma would.
 */
export function nestTicketRow<T>(flat: FlatRow): T {
  const nested: Record<string, Record<string, unknown>> = { ticketType: {}, order: {} };
  const voucher: Record<string, unknown> = {};
  const row: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(flat)) {
    if (column.startsWith("tt_")) nested.ticketType[column.slice(3)] = value;
    else if (column.startsWith("o_")) nested.order[column.slice(2)] = value;
    else if (column.startsWith("v_")) voucher[column.slice(2)] = value;
    else row[column] = value;
  }
  if ("v_code" in flat) row.voucher = voucher.code === null ? null : voucher;
  return { ...row, ...nested } as T;
}

const rowOf = (flat: FlatRow) => nestTicketRow<AttendeeRow>(flat);

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
  const where = attendeeWhereSql(editionId, filter, now);
  const page = filter.page ?? 1;
  const [rows, [{ total }]] = await Promise.all([
    db.$queryRaw<FlatRow[]>`SELECT ${ATTENDEE_COLUMNS} FROM ${ATTENDEE_FROM} WHERE ${where}
      ORDER BY ${attendeeOrderSql(filter, locale)} LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`,
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM ${ATTENDEE_FROM} WHERE ${where}`,
  ]);
  return { rows: rows.map(rowOf), total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/**
 * Every attendee matching the filter, in the list's order, from one query read through a cursor (see
 * cursorRows): an export of 100,000 rows holds one batch of rows in memory at a time.
 */
export async function* streamAttendees(
  db: Db,
  editionId: string,
  filter: AttendeeFilter,
  { batchSize = 500, now = new Date(), locale = "fr" as Locale } = {},
): AsyncGenerator<AttendeeRow> {
  const query = sql`SELECT ${ATTENDEE_COLUMNS} FROM ${ATTENDEE_FROM}
    WHERE ${attendeeWhereSql(editionId, filter, now)} ORDER BY ${attendeeOrderSql(filter, locale)}`;
  for await (const flat of cursorRows<FlatRow>(db, query, batchSize)) yield rowOf(flat);
}
