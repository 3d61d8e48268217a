import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/prisma";
import { enqueueEmail } from "@/lib/email/outbox";
import { TRANSFER_REMINDER_DAYS } from "./transfer";

const clockOf = (now?: Date) => Prisma.sql`coalesce(${now ?? null}::timestamptz, clock_timestamp())`;

/** What a reminder or a notice of cancellation says: the deadline it was written for. */
export type TransferNoticePayload = { deadline: string };

/**
 * Reminds the buyers of transfer orders still unpaid as their deadline nears (TRANSFER_REMINDER_DAYS before it),
 * once per reminder: the next one due is claimed by one conditional UPDATE (SKIP LOCKED) and its email queued in the
 * same transaction, keyed by order, reminder and deadline, so any number of instances sweeping at once send it once.
 * A reminder whose time had passed before the order was placed (a short deadline) is skipped, not sent late.
 */
export async function sendTransferReminders(db: Db, now?: Date, batch = 100): Promise<number> {
  const clock = clockOf(now);
  const days = Prisma.sql`ARRAY[${Prisma.join(TRANSFER_REMINDER_DAYS.map((day) => Prisma.sql`${day}::integer`))}]`;
  return db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<
      { id: string; buyerEmail: string; locale: "fr" | "en"; deadline: Date; sent: number }[]
    >`
      WITH due AS (
        SELECT o.id,
          -- The reminders whose time has come, of those the order lived to see.
          (SELECT count(*) FROM unnest(${days}) AS d(days)
            WHERE ${clock} >= o."holdExpiresAt" - make_interval(days => d.days)
              AND o."createdAt" < o."holdExpiresAt" - make_interval(days => d.days)) AS reached,
          (SELECT count(*) FROM unnest(${days}) AS d(days)
            WHERE o."createdAt" >= o."holdExpiresAt" - make_interval(days => d.days)) AS skipped
        FROM "Order" o
        WHERE o."paymentMethod" = 'TRANSFER' AND o.status = 'PENDING' AND o."holdExpiresAt" > ${clock}
        ORDER BY o."holdExpiresAt" LIMIT ${batch * 10}),
      claim AS (
        SELECT o.id, due.reached + due.skipped AS sent FROM "Order" o JOIN due ON due.id = o.id
        WHERE due.reached > 0 AND o."transferRemindersSent" < due.reached + due.skipped
        ORDER BY o.id LIMIT ${batch}
        FOR UPDATE OF o SKIP LOCKED)
      UPDATE "Order" o SET "transferRemindersSent" = claim.sent FROM claim
      WHERE o.id = claim.id AND o.status = 'PENDING' AND o."transferRemindersSent" < claim.sent
      RETURNING o.id, o."buyerEmail", o.locale::text AS locale, o."holdExpiresAt" AS deadline,
        o."transferRemindersSent" AS sent`;
    for (const order of claimed) {
      await enqueueEmail(tx, {
        dedupeKey: `transfer-reminder:${order.id}:${order.sent}:${order.deadline.toISOString()}`,
        kind: "transfer_reminder",
        orderId: order.id,
        toAddress: order.buyerEmail,
        locale: order.locale,
        payload: { deadline: order.deadline.toISOString() } satisfies TransferNoticePayload,
      });
    }
    return claimed.length;
  });
}

/** How long after its deadline a lapsed transfer order's notice is still worth sending (a sweep down that long). */
const NOTICE_WITHIN_DAYS = 7;

/**
 * Tells the buyers of transfer orders whose deadline passed unpaid that their order is cancelled and its seats
 * freed. Holds lapse in several places (the sweep, or a claim that needed the seats), so the notice is not sent
 * where they lapse: it is queued here for every such order, once (its dedupe key), whichever instance looks first.
 */
export async function sendTransferExpiryNotices(db: Db, now?: Date, batch = 100): Promise<number> {
  const clock = clockOf(now);
  return db.$transaction(async (tx) => {
    const lapsed = await tx.$queryRaw<{ id: string; buyerEmail: string; locale: "fr" | "en"; deadline: Date }[]>`
      SELECT o.id, o."buyerEmail", o.locale::text AS locale, o."holdExpiresAt" AS deadline FROM "Order" o
      WHERE o."paymentMethod" = 'TRANSFER' AND o.status = 'EXPIRED'
        AND o."holdExpiresAt" > ${clock} - make_interval(days => ${NOTICE_WITHIN_DAYS}::integer)
        AND NOT EXISTS (SELECT 1 FROM "EmailOutbox" e
                        WHERE e."orderId" = o.id AND e.kind = 'transfer_expired')
      ORDER BY o."holdExpiresAt" LIMIT ${batch}`;
    let queued = 0;
    for (const order of lapsed) {
      const sent = await enqueueEmail(tx, {
        dedupeKey: `transfer-expired:${order.id}`,
        kind: "transfer_expired",
        orderId: order.id,
        toAddress: order.buyerEmail,
        locale: order.locale,
        payload: { deadline: order.deadline.toISOString() } satisfies TransferNoticePayload,
      });
      if (sent) queued += 1;
    }
    return queued;
  });
}
