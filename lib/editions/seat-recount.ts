import type { Db } from "@/lib/db/prisma";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { recountSeats } from "@/lib/capacity/counters";

export type SeatRecount = { ok: true; off: number } | { ok: false; reason: "not_found" };

/**
 * The back office's "Recount": rewrites an edition's seat counters from a full count of its tickets,
 * under the edition lock, audited with by how many seats they were off (0 when they were in step).
 */
export async function recountEditionSeats(db: Db, actor: AuditActor, editionId: string): Promise<SeatRecount> {
  return db.$transaction(async (tx): Promise<SeatRecount> => {
    const edition = await tx.edition.findUnique({ where: { id: editionId }, select: { id: true } });
    if (!edition) return { ok: false, reason: "not_found" };
    const off = await recountSeats(tx, editionId);
    await recordAudit(tx, actor, {
      editionId,
      action: "edition.seats_recounted",
      subjectType: "edition",
      subjectId: editionId,
      after: { off },
    });
    return { ok: true, off };
  });
}
