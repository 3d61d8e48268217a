import type { Db } from "@/lib/db/prisma";
import { joinQueue } from "./queue";
import type { QueueState } from "./state";
import { signQueueTicket, verifyQueueTicket } from "./ticket";

/** Where a buyer stands at the gate in front of registration. */
export type GateAnswer =
  /** No queue on this edition (or no such edition): today's path, nothing to check. */
  | { status: "open" }
  | { status: "admitted"; ordinal: number }
  | {
      status: "queued";
      ticket: string;
      position: number;
      estimatedWaitSeconds: number;
      seatsLeft: number;
      opensAt: Date | null;
    }
  /** No seat left: said at once, to the waiting as to newcomers. */
  | { status: "sold_out" }
  /** No place yet and none taken (a poll or a page that only looks). */
  | { status: "no_ticket" }
  | { status: "refused"; reason: "forged" | "expired" | "other_edition" | "used" };

export type GateOptions = {
  key: string;
  now: Date;
  /** A caller without a ticket takes a place (a registration attempt) rather than hearing `no_ticket` (a poll). */
  join: boolean;
};

/**
 * The one gate in front of `registerAttendee` for the API and the form. Admitted ⇔ ordinal ≤ ⌊frontier⌋;
 * position = ordinal − ⌊frontier⌋; the estimate follows from the admission rate (and the opening time).
 */
export async function queueGate(
  db: Db,
  state: QueueState | null,
  token: string | null,
  { key, now, join }: GateOptions,
): Promise<GateAnswer> {
  if (!state?.queue) return { status: "open" };
  const { queue, editionId } = state;
  if (queue.seatsLeft === 0) return { status: "sold_out" };
  let ticket: string;
  let ordinal: number;
  if (token) {
    const check = verifyQueueTicket(key, token, editionId, now);
    if (!check.ok) return { status: "refused", reason: check.reason };
    ticket = token;
    ordinal = check.ordinal;
  } else {
    if (!join) return { status: "no_ticket" };
    ordinal = await joinQueue(db, editionId);
    ticket = signQueueTicket(key, { editionId, ordinal, issuedAt: now });
  }
  const opened = queue.opensAt === null || queue.opensAt <= now;
  if (opened && ordinal <= queue.admitted) {
    const used = await db.order.findFirst({ where: { editionId, queueOrdinal: ordinal }, select: { id: true } });
    return used ? { status: "refused", reason: "used" } : { status: "admitted", ordinal };
  }
  const position = ordinal - queue.admitted;
  const untilOpening = opened ? 0 : (queue.opensAt!.getTime() - now.getTime()) / 1000;
  return {
    status: "queued",
    ticket,
    position,
    estimatedWaitSeconds: Math.ceil(untilOpening + position / queue.admitPerSecond),
    seatsLeft: queue.seatsLeft,
    opensAt: queue.opensAt,
  };
}

/** When a waiting client asks again: half the estimate, 1 to 10 s, ±20 % so that clients spread out. */
export function retryAfterMs(estimatedWaitSeconds: number, random = Math.random()): number {
  const base = Math.min(10, Math.max(1, estimatedWaitSeconds / 2)) * 1000;
  return Math.round(base * (0.8 + 0.4 * random));
}
