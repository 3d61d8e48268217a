import type { KeyObject } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { verifyTicketCode } from "./codes";

export type TicketCheck =
  | { status: "valid"; ticketId: string; editionId: string }
  | { status: "forged" }
  | { status: "revoked"; ticketId: string; editionId: string }
  | { status: "unknown" };

/**
 * What a code is worth right now: the signature says whether we issued it; the database says
 * whether it still stands (ticket active, order confirmed, code not superseded by a reissue).
 */
export async function checkTicketCode(db: Db, code: string, publicKey: KeyObject): Promise<TicketCheck> {
  const verified = verifyTicketCode(code, publicKey);
  if (!verified.ok) return { status: "forged" };
  const { ticketId, editionId, codeVersion } = verified.claims;
  const ticket = await db.ticket.findUnique({ where: { id: ticketId }, select: { status: true, codeVersion: true, editionId: true, order: { select: { status: true } } } });
  if (!ticket || ticket.editionId !== editionId) return { status: "unknown" };
  const stands = ticket.status === "ACTIVE" && ticket.order.status === "CONFIRMED" && ticket.codeVersion === codeVersion;
  return stands ? { status: "valid", ticketId, editionId } : { status: "revoked", ticketId, editionId };
}
