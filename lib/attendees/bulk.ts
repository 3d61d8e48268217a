import type Stripe from "stripe";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { cancelAttendee, resendConfirmation, type AttendeeChange } from "./manage";

/** The most tickets one bulk action takes: a page of the list is 50, "select all" ten pages. */
export const MAX_BULK_TICKETS = 500;

export const bulkSelectionSchema = z.object({
  editionId: z.uuid(),
  ticketIds: z.array(z.uuid()).min(1).max(MAX_BULK_TICKETS),
});

export type BulkSelection = z.output<typeof bulkSelectionSchema>;

/** How a bulk action went: how many tickets it changed, and why the others were left as they were. */
export type BulkSummary = { done: number; skipped: Record<string, number> };

type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * Applies one organiser action to each ticket in turn, with the same rules and audit as on the
 * attendee's page: a ticket that cannot take it is counted with its reason, never stops the rest.
 */
export async function eachTicket(
  ticketIds: string[],
  act: (ticketId: string) => Promise<Outcome>,
): Promise<BulkSummary> {
  const summary: BulkSummary = { done: 0, skipped: {} };
  for (const ticketId of new Set(ticketIds)) {
    const outcome = await act(ticketId);
    if (outcome.ok) summary.done += 1;
    else summary.skipped[outcome.reason] = (summary.skipped[outcome.reason] ?? 0) + 1;
  }
  return summary;
}

const change = (result: AttendeeChange): Outcome => (result.ok ? { ok: true } : { ok: false, reason: result.reason });

export function resendConfirmations(
  db: Db,
  actor: AuditActor,
  { editionId, ticketIds }: BulkSelection,
  now = new Date(),
) {
  return eachTicket(ticketIds, async (ticketId) =>
    change(await resendConfirmation(db, actor, editionId, ticketId, now)),
  );
}

/** Cancels each ticket selected; a group whose live tickets are all selected is cancelled (and refunded) as a whole. */
export function cancelAttendees(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  { editionId, ticketIds }: BulkSelection,
  { refund, now = new Date() }: { refund: boolean; now?: Date },
) {
  return eachTicket(ticketIds, async (ticketId) =>
    change(await cancelAttendee(db, stripe, actor, editionId, ticketId, { refund, now, alongWith: ticketIds })),
  );
}
