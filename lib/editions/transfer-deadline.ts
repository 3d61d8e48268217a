import type { Db } from "@/lib/db/prisma";
import { endOfDay, shiftWallClock } from "@/lib/time/zoned";

const DAY_MS = 86_400_000;

/** With less time than this to pay, a transfer would likely arrive late: the buyer pays by card instead. */
const MIN_TRANSFER_MS = 2 * DAY_MS;

export type TransferSettings = {
  transferDays: number | null;
  transferClosesDaysBefore: number;
  startsAt: Date;
  timeZone: string;
};

/**
 * When a transfer ordered `now` must have arrived, or null when the edition takes no transfer (any more). The
 * deadline is the end of a day in the edition's zone, `transferDays` days on, but never later than
 * `transferClosesDaysBefore` days before the start; when that leaves under two days to pay, transfer is closed.
 */
export function transferDeadline(edition: TransferSettings, now: Date): Date | null {
  if (edition.transferDays === null) return null;
  const { timeZone } = edition;
  const latest = shiftWallClock(edition.startsAt, timeZone, -edition.transferClosesDaysBefore * DAY_MS);
  const wanted = shiftWallClock(now, timeZone, edition.transferDays * DAY_MS);
  let deadline = endOfDay(wanted < latest ? wanted : latest, timeZone);
  if (deadline > latest) deadline = endOfDay(shiftWallClock(deadline, timeZone, -DAY_MS), timeZone);
  return deadline.getTime() - now.getTime() < MIN_TRANSFER_MS ? null : deadline;
}

/**
 * The deadline a transfer ordered now would get (transferDeadline), or null when an order cannot be paid by
 * transfer: the edition takes none (any more), or the organiser's bank details, printed on the quote, were never
 * filled in. The registration page offers the choice and the registration checks it, both from here.
 */
export async function transferDeadlineOffered(
  db: Pick<Db, "organiserProfile">,
  edition: TransferSettings,
  now: Date,
): Promise<Date | null> {
  const deadline = transferDeadline(edition, now);
  if (!deadline) return null;
  const profile = await db.organiserProfile.findUnique({ where: { id: 1 }, select: { id: true } });
  return profile ? deadline : null;
}
