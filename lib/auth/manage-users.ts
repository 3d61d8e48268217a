import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { emailAddress, fieldErrorsOf, optionalLine, type FieldErrors } from "@/lib/forms/fields";
import { hashPassword, newPasswordSchema } from "./passwords";
import { can, ROLES, type Role } from "./roles";

const userFormSchema = z.object({
  email: emailAddress,
  name: optionalLine(200),
  role: z.enum(ROLES, { error: "invalid_choice" }),
  password: z
    .union([z.literal(""), newPasswordSchema])
    .optional()
    .transform((value) => value || null),
  editionIds: z.array(z.uuid()).default([]),
});

export type UserChange =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "email_taken" | "not_yourself" };

/**
 * Creates a back-office account or changes one: role, name, password (optional: without one the
 * user signs in by email link) and, for check-in staff, the editions they may scan for. A role
 * change applies at the user's next request: sessions read the role from the database.
 */
export async function saveUser(db: Db, actor: AuditActor, userId: string | null, input: unknown): Promise<UserChange> {
  const parsed = userFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { email, name, role, password, editionIds } = parsed.data;
  if (userId === actor.id && role !== "ADMIN") return { ok: false, reason: "not_yourself" };
  const passwordHash = password ? await hashPassword(password) : undefined;
  try {
    return await db.$transaction(async (tx): Promise<UserChange> => {
      const before = userId ? await tx.user.findUnique({ where: { id: userId }, include: { editions: true } }) : null;
      if (userId && !before) return { ok: false, reason: "not_found" };
      const data = { email, name, role, ...(passwordHash ? { passwordHash } : {}) };
      const user = before
        ? await tx.user.update({ where: { id: before.id }, data })
        : await tx.user.create({ data: { ...data, passwordHash: passwordHash ?? null } });
      await tx.editionStaff.deleteMany({ where: { userId: user.id } });
      if (editionIds.length > 0)
        await tx.editionStaff.createMany({
          data: editionIds.map((editionId) => ({ editionId, userId: user.id })),
          skipDuplicates: true,
        });
      await recordAudit(tx, actor, {
        editionId: null,
        action: before ? "user.updated" : "user.created",
        subjectType: "user",
        subjectId: user.id,
        before: before
          ? {
              email: before.email,
              name: before.name,
              role: before.role,
              editions: before.editions.map((link) => link.editionId),
            }
          : undefined,
        after: { email, name, role, editions: editionIds, passwordChanged: Boolean(passwordHash) },
      });
      return { ok: true, userId: user.id };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return { ok: false, reason: "email_taken" };
    throw error;
  }
}

/** Disables an account (its sessions end at once) or enables it again. Nobody disables themselves. */
export async function setUserDisabled(
  db: Db,
  actor: AuditActor,
  userId: string,
  disabled: boolean,
  now = new Date(),
): Promise<UserChange> {
  if (userId === actor.id) return { ok: false, reason: "not_yourself" };
  return db.$transaction(async (tx): Promise<UserChange> => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return { ok: false, reason: "not_found" };
    await tx.user.update({ where: { id: userId }, data: { disabledAt: disabled ? now : null } });
    if (disabled) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, actor, {
      editionId: null,
      action: disabled ? "user.disabled" : "user.enabled",
      subjectType: "user",
      subjectId: userId,
      after: { email: user.email },
    });
    return { ok: true, userId };
  });
}

/**
 * The accounts an actor may manage, active first, then by address, with their edition assignments:
 * everyone's for an admin (`users:manage`, as `saveUser`'s action checks), nobody's otherwise.
 */
export async function listUsers(db: Db, actor: { role: Role }) {
  if (!can(actor.role, "users:manage")) return [];
  return db.user.findMany({
    orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { email: "asc" }],
    include: { editions: true },
  });
}
