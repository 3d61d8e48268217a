import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { recordAudit, type AuditActor } from "@/lib/audit/record";

const staffFormSchema = z.object({ userIds: z.array(z.uuid({ error: "invalid" })).max(500) });

export type StaffChange = { ok: true } | { ok: false; reason: "not_found" | "invalid" };

/** Check-in staff accounts that can be given an edition: the others scan everywhere or nowhere. */
export function listDoorStaff(db: Db, editionId: string) {
  return db.user.findMany({
    where: { role: "CHECKIN_STAFF", disabledAt: null },
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, editions: { where: { editionId }, select: { editionId: true } } },
  });
}

/**
 * Who works the door at an edition: organisers set it for their editions (admins also do it from Users). Only
 * active check-in staff can be assigned; anything else in the list is refused and nothing changes.
 */
export async function setEditionStaff(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: unknown,
): Promise<StaffChange> {
  const parsed = staffFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const wanted = [...new Set(parsed.data.userIds)];
  return db.$transaction(async (tx): Promise<StaffChange> => {
    const edition = await tx.edition.findUnique({ where: { id: editionId }, select: { id: true } });
    if (!edition) return { ok: false, reason: "not_found" };
    const eligible = await tx.user.findMany({
      where: { id: { in: wanted }, role: "CHECKIN_STAFF", disabledAt: null },
      select: { id: true, email: true },
    });
    if (eligible.length !== wanted.length) return { ok: false, reason: "invalid" };
    const before = await tx.editionStaff.findMany({
      where: { editionId },
      select: { user: { select: { email: true } } },
    });
    await tx.editionStaff.deleteMany({ where: { editionId } });
    await tx.editionStaff.createMany({ data: wanted.map((userId) => ({ editionId, userId })) });
    await recordAudit(tx, actor, {
      editionId,
      action: "edition.staff",
      subjectType: "edition",
      subjectId: editionId,
      before: { staff: before.map((row) => row.user.email).sort() },
      after: { staff: eligible.map((user) => user.email).sort() },
    });
    return { ok: true };
  });
}
