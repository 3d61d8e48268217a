import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { shiftWallClock, zonedLocalToUtc } from "@/lib/time/zoned";

// Kinds of change an organiser filters by: the part of the action before the dot.
export const AUDIT_KINDS = [
  "attendee",
  "edition",
  "ticket_type",
  "question",
  "api_token",
  "email",
  "refund",
  "user",
  "invoicing",
  "transfer",
  "voucher",
  "allocation",
  "waitlist",
  "message",
  "privacy",
] as const;
export const AUDIT_PAGE_SIZE = 100;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const blankIsNone = (value: unknown) => (value === "" ? undefined : value);

const filterSchema = z.object({
  kind: z.preprocess(blankIsNone, z.enum(AUDIT_KINDS).optional()).catch(undefined),
  by: z.preprocess(blankIsNone, z.string().max(254).optional()).catch(undefined),
  from: z.preprocess(blankIsNone, z.string().regex(DAY).optional()).catch(undefined),
  to: z.preprocess(blankIsNone, z.string().regex(DAY).optional()).catch(undefined),
  before: z.preprocess(blankIsNone, z.string().max(80).optional()).catch(undefined),
});

/** What the log is narrowed to; days are the edition's calendar days, inclusive. */
export type AuditFilter = z.output<typeof filterSchema>;

/** A query string's filter; anything malformed is dropped rather than refused. */
export function parseAuditFilter(query: Record<string, string | string[] | undefined>): AuditFilter {
  const single = Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  return filterSchema.parse(single);
}

// A page ends at an entry; the next page starts strictly after it in (createdAt, id) order, so
// entries written at the same millisecond are neither skipped nor shown twice.
const cursorOf = (entry: { createdAt: Date; id: string }) => `${entry.createdAt.toISOString()}_${entry.id}`;

function afterCursor(cursor: string | undefined): Prisma.AuditEntryWhereInput {
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/.exec(cursor ?? "");
  if (!match) return {};
  const at = new Date(match[1]);
  if (Number.isNaN(at.getTime())) return {};
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: match[2] } }] };
}

function dayRange(filter: AuditFilter, timeZone: string): Prisma.DateTimeFilter | undefined {
  const from = filter.from ? zonedLocalToUtc(`${filter.from}T00:00`, timeZone) : null;
  const toStart = filter.to ? zonedLocalToUtc(`${filter.to}T00:00`, timeZone) : null;
  const to = toStart ? shiftWallClock(toStart, timeZone, 24 * 3600_000) : null;
  if (!from && !to) return undefined;
  return { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
}

export type AuditLogPage = {
  entries: Prisma.AuditEntryGetPayload<object>[];
  /** The cursor of the next (older) page; null on the last one. */
  older: string | null;
  /** Who wrote entries in this edition's log, for the "by" filter. */
  people: string[];
  /** Attendees' names for the entries about tickets, by ticket id. */
  ticketNames: Map<string, string>;
  /** The names of the blocks the entries are about or name (allocationId), by id. */
  blockNames: Map<string, string>;
  /** The names of the ticket types the entries name (ticketTypeId, ticketTypeIds), by id. */
  typeNames: Map<string, { nameFr: string; nameEn: string }>;
  /** The names of the waiting-list entries the entries are about, by id. */
  entryNames: Map<string, string>;
};

// The ids an entry's values name under `fields` (one id or a list of them), for the page to show names instead.
function namedIds(entries: { before: unknown; after: unknown }[], fields: string[]): string[] {
  const ids = new Set<string>();
  for (const entry of entries) {
    for (const values of [entry.before, entry.after]) {
      if (values === null || typeof values !== "object") continue;
      for (const field of fields) {
        const value = (values as Record<string, unknown>)[field];
        for (const id of Array.isArray(value) ? value : [value])
          if (typeof id === "string" && UUID.test(id)) ids.add(id);
      }
    }
  }
  return [...ids];
}

/** One page of an edition's audit log, newest first, narrowed by kind, person and days. */
export async function auditLogPage(
  db: Db,
  edition: { id: string; timeZone: string },
  filter: AuditFilter,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditLogPage> {
  const createdAt = dayRange(filter, edition.timeZone);
  const where: Prisma.AuditEntryWhereInput = {
    editionId: edition.id,
    ...(filter.kind ? { action: { startsWith: `${filter.kind}.` } } : {}),
    ...(filter.by ? { actorEmail: filter.by } : {}),
    ...(createdAt ? { createdAt } : {}),
    AND: [afterCursor(filter.before)],
  };
  const rows = await db.auditEntry.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: pageSize + 1,
  });
  const entries = rows.slice(0, pageSize);
  const isTicket = (entry: { subjectType: string; subjectId: string | null }) =>
    entry.subjectType === "ticket" && UUID.test(entry.subjectId ?? "");
  const ticketIds = [...new Set(entries.filter(isTicket).map((entry) => entry.subjectId!))];
  const blockIds = [
    ...namedIds(entries, ["allocationId"]),
    ...entries.flatMap((entry) =>
      entry.subjectType === "allocation" && UUID.test(entry.subjectId ?? "") ? [entry.subjectId!] : [],
    ),
  ];
  const typeIds = namedIds(entries, ["ticketTypeId", "ticketTypeIds"]);
  const entryIds = entries.flatMap((entry) =>
    entry.subjectType === "waitlist_entry" && UUID.test(entry.subjectId ?? "") ? [entry.subjectId!] : [],
  );
  const [tickets, people, blocks, types, waiting] = await Promise.all([
    db.ticket.findMany({
      where: { id: { in: ticketIds }, editionId: edition.id },
      select: { id: true, firstName: true, lastName: true },
    }),
    db.auditEntry.findMany({
      where: { editionId: edition.id },
      distinct: ["actorEmail"],
      select: { actorEmail: true },
      orderBy: { actorEmail: "asc" },
    }),
    db.seatAllocation.findMany({
      where: { id: { in: blockIds }, editionId: edition.id },
      select: { id: true, name: true },
    }),
    db.ticketType.findMany({
      where: { id: { in: typeIds }, editionId: edition.id },
      select: { id: true, nameFr: true, nameEn: true },
    }),
    db.waitingListEntry.findMany({
      where: { id: { in: entryIds }, editionId: edition.id },
      select: { id: true, name: true },
    }),
  ]);
  return {
    entries,
    older: rows.length > pageSize ? cursorOf(entries[entries.length - 1]) : null,
    people: people.map((row) => row.actorEmail),
    // An unnamed ticket has no name to show: its entries read without one, as a deleted ticket's do.
    ticketNames: new Map(
      tickets.flatMap((ticket) =>
        ticket.firstName === null ? [] : [[ticket.id, `${ticket.firstName} ${ticket.lastName}`] as const],
      ),
    ),
    blockNames: new Map(blocks.map((block) => [block.id, block.name])),
    typeNames: new Map(types.map(({ id, ...names }) => [id, names])),
    // Who a waiting-list entry's line is about, by the name as it is now (never copied into the log).
    entryNames: new Map(waiting.map((entry) => [entry.id, entry.name])),
  };
}
