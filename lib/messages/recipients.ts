import { z } from "zod";
import { ATTENDEE_FROM, attendeeFilterSchema, attendeeWhereSql, type AttendeeFilter } from "@/lib/attendees/query";
import type { Db } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";

export type MessageAudience = "ATTENDEES" | "BUYERS" | "WAITING_LIST";

/**
 * A message's filter: the attendee list's fields a message can choose people by, its search box included (not the
 * sort or the page: a message goes to everyone matching). The waiting list reads `ticketType` only.
 */
export const messageFilterSchema = attendeeFilterSchema.pick({
  q: true,
  ticketType: true,
  status: true,
  checkedIn: true,
  named: true,
  answer: true,
  voucherTag: true,
  abandoned: true,
});
export type MessageFilter = z.output<typeof messageFilterSchema>;

/** A stored filter (Message.filter, JSON) as the list's filter: the composer refused anything it would drop. */
export const messageFilterOf = (stored: unknown): AttendeeFilter =>
  messageFilterSchema.parse(stored !== null && typeof stored === "object" ? stored : {});

export type RecipientSource = {
  editionId: string;
  audience: MessageAudience;
  filter: unknown;
  /** About attending: sent to opted-out addresses too. */
  essential: boolean;
};

/** One address a message goes to, as recipientRowsSql selects it (MessageRecipient's columns). */
export type RecipientRow = {
  emailKey: string;
  toAddress: string;
  firstName: string;
  locale: "fr" | "en";
  ticketId: string | null;
  orderId: string | null;
  entryId: string | null;
  skipped: "OPTED_OUT" | null;
};

const sql = Prisma.sql;
const keyOf = (address: Prisma.Sql) => sql`lower(btrim(${address}))`;

/**
 * The one place a message's recipients are chosen: preview, count, dispatch and the standing messages all read it.
 * Attendees and buyers are the attendee list's own rows (attendeeWhereSql over ATTENDEE_FROM), so a message reaches
 * exactly whom the list shows for the same filters. One row per address (the earliest ticket's): an unnamed ticket's
 * email goes to its buyer. An opted-out address stays, marked skipped, unless the message is essential.
 */
export function recipientRowsSql(source: RecipientSource, now: Date): Prisma.Sql {
  const filter = messageFilterOf(source.filter);
  const rows = candidates(source.editionId, source.audience, filter, now);
  const skipped = source.essential
    ? sql`NULL::"RecipientSkip"`
    : sql`CASE WHEN EXISTS (SELECT 1 FROM "EmailOptOut" x
        WHERE x."emailHash" = encode(sha256(convert_to(c."emailKey", 'UTF8')), 'hex'))
        THEN 'OPTED_OUT'::"RecipientSkip" END`;
  return sql`SELECT c."emailKey", c."toAddress", c."firstName", c.locale, c."ticketId", c."orderId", c."entryId",
      ${skipped} AS skipped
    FROM (${rows}) c`;
}

function candidates(editionId: string, audience: MessageAudience, filter: AttendeeFilter, now: Date): Prisma.Sql {
  switch (audience) {
    case "ATTENDEES": {
      const address = sql`coalesce(t.email, o."buyerEmail")`;
      return sql`SELECT DISTINCT ON (1) ${keyOf(address)} AS "emailKey", ${address} AS "toAddress",
          coalesce(t."firstName", o."buyerFirstName") AS "firstName", coalesce(t.locale, o.locale) AS locale,
          t.id AS "ticketId", o.id AS "orderId", NULL::uuid AS "entryId"
        FROM ${ATTENDEE_FROM} WHERE ${attendeeWhereSql(editionId, filter, now)}
        ORDER BY 1, t."createdAt", t.id`;
    }
    case "BUYERS":
      return sql`SELECT DISTINCT ON (1) ${keyOf(sql`o."buyerEmail"`)} AS "emailKey", o."buyerEmail" AS "toAddress",
          o."buyerFirstName" AS "firstName", o.locale, NULL::uuid AS "ticketId", o.id AS "orderId",
          NULL::uuid AS "entryId"
        FROM ${ATTENDEE_FROM} WHERE ${attendeeWhereSql(editionId, filter, now)}
        ORDER BY 1, o."createdAt", o.id`;
    case "WAITING_LIST":
      return sql`SELECT DISTINCT ON (1) w."emailKey", w.email AS "toAddress", w.name AS "firstName", w.locale,
          NULL::uuid AS "ticketId", NULL::uuid AS "orderId", w.id AS "entryId"
        FROM "WaitingListEntry" w
        WHERE w."editionId" = ${editionId}::uuid AND w.status IN ('WAITING', 'OFFERED')
          ${
            filter.ticketType
              ? sql`AND EXISTS (SELECT 1 FROM "WaitingListEntryType" x JOIN "TicketType" tt ON tt.id = x."ticketTypeId"
                  WHERE x."entryId" = w.id AND tt.code = ${filter.ticketType})`
              : sql``
          }
        ORDER BY 1, w.position`;
  }
}

export type RecipientPreview = {
  total: number;
  /** Those who will receive it, by the language they read. */
  byLocale: { fr: number; en: number };
  optedOut: number;
  /** The first 20 by address. */
  rows: RecipientRow[];
};

/** Who a message would reach now (the count is taken again when it leaves), from recipientRowsSql itself. */
export async function previewRecipients(db: Db, source: RecipientSource, now: Date): Promise<RecipientPreview> {
  const rows = recipientRowsSql(source, now);
  const [[counts], first] = await Promise.all([
    db.$queryRaw<{ total: number; fr: number; en: number; optedOut: number }[]>`
      SELECT count(*)::int AS total,
        count(*) FILTER (WHERE r.skipped IS NULL AND r.locale = 'fr')::int AS fr,
        count(*) FILTER (WHERE r.skipped IS NULL AND r.locale = 'en')::int AS en,
        count(*) FILTER (WHERE r.skipped IS NOT NULL)::int AS "optedOut"
      FROM (${rows}) r`,
    db.$queryRaw<RecipientRow[]>`SELECT r."emailKey", r."toAddress", r."firstName", r.locale::text AS locale,
        r."ticketId"::text AS "ticketId", r."orderId"::text AS "orderId", r."entryId"::text AS "entryId",
        r.skipped::text AS skipped
      FROM (${rows}) r ORDER BY r."emailKey" LIMIT 20`,
  ]);
  return { total: counts.total, byLocale: { fr: counts.fr, en: counts.en }, optedOut: counts.optedOut, rows: first };
}

/**
 * The first address (by address) in each language that will receive the message now: whom the message page's
 * rendered preview is drawn for. Opted-out addresses are left out, as the send leaves them.
 */
export async function firstRecipientPerLocale(db: Db, source: RecipientSource, now: Date): Promise<RecipientRow[]> {
  return db.$queryRaw<RecipientRow[]>`SELECT DISTINCT ON (r.locale::text) r."emailKey", r."toAddress", r."firstName",
      r.locale::text AS locale, r."ticketId"::text AS "ticketId", r."orderId"::text AS "orderId",
      r."entryId"::text AS "entryId", r.skipped::text AS skipped
    FROM (${recipientRowsSql(source, now)}) r WHERE r.skipped IS NULL ORDER BY r.locale::text DESC, r."emailKey"`;
}
