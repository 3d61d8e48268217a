import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import type { VerifyKey } from "@/lib/tickets/codes";
import { memberNonce } from "./offline";
import { recordScan, scanRequestSchema, type ScanOutcome, type Scanner } from "./scan";

// An order holds at most 100 tickets (Edition.maxTicketsPerOrder), so at most 99 others.
const MAX_OTHERS = 99;

export const groupRequestSchema = z.object({
  ticketIds: z
    .array(z.uuid())
    .min(1)
    .max(MAX_OTHERS)
    .refine((ids) => new Set(ids).size === ids.length, { message: "each ticket once" }),
  // Each member's scan takes `<nonce>-<i>`, which must still fit a scan's 64 characters.
  nonce: z
    .string()
    .trim()
    .min(8)
    .max(60)
    .regex(/^[A-Za-z0-9_-]+$/),
  deviceId: scanRequestSchema.shape.deviceId,
  viaTicketId: z.uuid(),
  scannedAt: z.iso.datetime({ offset: true }).optional(),
});

export type GroupRequest = z.output<typeof groupRequestSchema>;

/** One member's answer: the scan's own, with the ticket it was asked for (an unknown one carries none). */
export type GroupMemberOutcome = Exclude<ScanOutcome, { result: "scanner_refused" }> & { ticketId: string };

/**
 * Admits the others of a scanned ticket's order that staff saw at the door: one recorded scan per
 * ticket, each through recordScan in its own transaction (same lock, judge and replay), so a
 * cancelled member is refused alone and a retry of the request replays every answer. A ticket of
 * another order or edition is answered `unknown`, as if the device had made it up. A device token
 * revoked meanwhile stops the group at the member it refused.
 */
export async function admitGroup(
  db: Db,
  verifyKeys: readonly VerifyKey[],
  editionId: string,
  scanner: Scanner,
  request: GroupRequest,
  now = new Date(),
): Promise<GroupMemberOutcome[] | { refused: "scanner" }> {
  const answers: GroupMemberOutcome[] = [];
  for (const [index, ticketId] of request.ticketIds.entries()) {
    const scan = scanRequestSchema.parse({
      ticketId,
      nonce: memberNonce(request.nonce, index),
      deviceId: request.deviceId,
      scannedAt: request.scannedAt,
      viaTicketId: request.viaTicketId,
    });
    const answer = await recordScan(db, verifyKeys, editionId, scanner, scan, now);
    if (answer.result === "scanner_refused") return { refused: "scanner" };
    answers.push({ ...answer, ticketId });
  }
  return answers;
}
