import { randomUUID, type KeyObject } from "node:crypto";
import type Stripe from "stripe";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record";
import { recordScan, scanRequestSchema } from "@/lib/checkin/scan";
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
async function eachTicket(ticketIds: string[], act: (ticketId: string) => Promise<Outcome>): Promise<BulkSummary> {
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

export function cancelAttendees(
  db: Db,
  stripe: Stripe,
  actor: AuditActor,
  { editionId, ticketIds }: BulkSelection,
  { refund, now = new Date() }: { refund: boolean; now?: Date },
) {
  return eachTicket(ticketIds, async (ticketId) =>
    change(await cancelAttendee(db, stripe, actor, editionId, ticketId, { refund, now })),
  );
}

/**
 * Admits the selected attendees as if the organiser had scanned each ticket at the door: the same
 * judge and lock as the scanner, a scan recorded in the organiser's name from the back office.
 */
export function checkInAttendees(
  db: Db,
  publicKey: KeyObject,
  actor: AuditActor,
  { editionId, ticketIds }: BulkSelection,
  now = new Date(),
) {
  return eachTicket(ticketIds, async (ticketId) => {
    const request = scanRequestSchema.parse({ ticketId, nonce: `bulk-${randomUUID()}`, deviceId: "back-office" });
    const answer = await recordScan(db, publicKey, editionId, { userId: actor.id, apiTokenId: null }, request, now);
    switch (answer.result) {
      case "admitted":
        return { ok: true };
      case "cancelled":
        return { ok: false, reason: answer.reason === "unpaid" ? "not_confirmed" : answer.reason };
      case "already_checked_in":
        return { ok: false, reason: "already_checked_in" };
      default:
        return { ok: false, reason: "not_found" };
    }
  });
}
