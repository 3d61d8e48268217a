import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Where one recipient's email is: the outbox row's state, or before it one of the recipient's own (skipped: opted out
 * when the message left; unqueued: chosen, its email not written yet).
 */
export const RECIPIENT_STATES = ["pending", "sent", "failed", "superseded", "skipped", "unqueued"] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

export const RECIPIENTS_PER_PAGE = 50;

/** The table's query string: a value the page does not know is the default (every state, first page), not an error. */
export const recipientListQuerySchema = z.object({
  state: z.enum(RECIPIENT_STATES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
});
export type RecipientListQuery = z.output<typeof recipientListQuerySchema>;

export type RecipientListRow = {
  id: string;
  firstName: string;
  toAddress: string;
  locale: "fr" | "en";
  state: RecipientState;
  /** The SMTP server's answer of the last failed attempt, or why the email was not sent. */
  lastError: string | null;
  sentAt: Date | null;
};

export type RecipientList = { rows: RecipientListRow[]; total: number; page: number; pages: number };

const sql = Prisma.sql;
const stateSql = sql`CASE WHEN r.skipped IS NOT NULL THEN 'skipped' WHEN r."outboxId" IS NULL THEN 'unqueued'
  ELSE lower(o.status::text) END`;

/**
 * A message's recipients by address, 50 a page, optionally in one state, with each email's state and SMTP answer.
 * Pages by offset: a page a person turns to is at most a few thousand rows in, and the states move under them anyway.
 */
export async function listMessageRecipients(
  db: Db,
  messageId: string,
  query: RecipientListQuery,
): Promise<RecipientList> {
  const where = sql`r."messageId" = ${messageId}::uuid ${query.state ? sql`AND ${stateSql} = ${query.state}` : sql``}`;
  const from = sql`"MessageRecipient" r LEFT JOIN "EmailOutbox" o ON o.id = r."outboxId"`;
  const [[{ total }], rows] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`,
    db.$queryRaw<RecipientListRow[]>`SELECT r.id::text AS id, r."firstName", r."toAddress", r.locale::text AS locale,
        ${stateSql} AS state, o."lastError", o."sentAt"
      FROM ${from} WHERE ${where}
      ORDER BY r."emailKey", r.id LIMIT ${RECIPIENTS_PER_PAGE} OFFSET ${(query.page - 1) * RECIPIENTS_PER_PAGE}`,
  ]);
  return { rows, total, page: query.page, pages: Math.max(1, Math.ceil(total / RECIPIENTS_PER_PAGE)) };
}
