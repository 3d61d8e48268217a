import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/prisma";
import { accessTokenHash, enqueueEmail } from "@/lib/email/outbox";

/** Days between two reminders to one buyer: a 7-day window then gives at most 3. */
export const REMINDER_QUIET_DAYS = 3;

/** What a reminder was queued for: the order link it may carry (a rotated link supersedes it). */
export type UnnamedReminderSnapshot = { tokenHash: string };

/** Until when a buyer may name their tickets themselves: the edition's edit deadline, else its start. */
export const namingDeadline = (edition: { editDeadline: Date | null; startsAt: Date }) =>
  edition.editDeadline ?? edition.startsAt;

const clockOf = (now?: Date) => Prisma.sql`coalesce(${now ?? null}::timestamptz, clock_timestamp())`;

/**
 * Reminds the buyers whose confirmed orders still hold unnamed live tickets, once the edition is within its
 * `unnamedReminderDays` and while naming is still possible, at most every REMINDER_QUIET_DAYS. The claim is one
 * conditional UPDATE (SKIP LOCKED, re-checked under the row lock), the email is queued in the same transaction
 * and keyed by order and day: any number of instances sweeping at once remind each buyer once.
 */
export async function sendUnnamedReminders(db: Db, now?: Date, batch = 100): Promise<number> {
  const clock = clockOf(now);
  return db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<
      { id: string; accessToken: string; buyerEmail: string; locale: "fr" | "en"; day: string }[]
    >`
      WITH due AS (
        SELECT o.id FROM "Order" o JOIN "Edition" e ON e.id = o."editionId"
        WHERE o.status = 'CONFIRMED' AND e."unnamedReminderDays" IS NOT NULL
          AND ${clock} < e."startsAt" AND ${clock} < coalesce(e."editDeadline", e."startsAt")
          AND ${clock} >= e."startsAt" - make_interval(days => e."unnamedReminderDays")
          AND (o."unnamedReminderAt" IS NULL
               OR o."unnamedReminderAt" < ${clock} - make_interval(days => ${REMINDER_QUIET_DAYS}))
          AND EXISTS (SELECT 1 FROM "Ticket" t
                      WHERE t."orderId" = o.id AND t."firstName" IS NULL AND t.status = 'ACTIVE')
        ORDER BY o.id LIMIT ${batch}
        FOR UPDATE OF o SKIP LOCKED)
      UPDATE "Order" o SET "unnamedReminderAt" = ${clock} FROM due WHERE o.id = due.id
      RETURNING o.id, o."accessToken", o."buyerEmail", o.locale::text AS locale,
        to_char(o."unnamedReminderAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`;
    for (const order of claimed) {
      await enqueueEmail(tx, {
        dedupeKey: `unnamed-reminder:${order.id}:${order.day}`,
        kind: "unnamed_reminder",
        orderId: order.id,
        toAddress: order.buyerEmail,
        locale: order.locale,
        payload: { tokenHash: accessTokenHash(order.accessToken) } satisfies UnnamedReminderSnapshot,
      });
    }
    return claimed.length;
  });
}
