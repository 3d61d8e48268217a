import { randomUUID } from "node:crypto";
import { eachTicket, type BulkSelection } from "@/lib/attendees/bulk";
import type { AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import type { VerifyKey } from "@/lib/tickets/codes";
import { recordScan, scanRequestSchema } from "./scan";

/**
 * Admits the selected attendees as if the organiser had scanned each ticket at the door: the same
 * judge and lock as the scanner, a scan recorded in the organiser's name from the back office.
 */
export function checkInAttendees(
  db: Db,
  verifyKeys: readonly VerifyKey[],
  actor: AuditActor,
  { editionId, ticketIds }: BulkSelection,
  now = new Date(),
) {
  return eachTicket(ticketIds, async (ticketId) => {
    const request = scanRequestSchema.parse({ ticketId, nonce: `bulk-${randomUUID()}`, deviceId: "back-office" });
    const answer = await recordScan(db, verifyKeys, editionId, { userId: actor.id, apiTokenId: null }, request, now);
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
