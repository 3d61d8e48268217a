import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { fieldErrorsOf, requiredLine, type FieldErrors } from "@/lib/forms/fields";
import type { ApiTokenScope } from "@/lib/generated/prisma/client";
import { can, type Role } from "./roles";

const TOKEN_PREFIX = "gch_";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const tokenFormSchema = z
  .object({
    name: requiredLine(100),
    scope: z.enum(["EXPORT", "CHECKIN"], { error: "invalid_choice" }).default("EXPORT"),
    editionId: z
      .union([z.literal(""), z.uuid({ error: "invalid_choice" })])
      .optional()
      .transform((value) => value || null),
  })
  .refine((token) => token.scope !== "CHECKIN" || token.editionId !== null, {
    path: ["editionId"],
    error: "edition_required",
  });

// What a token's creator must be allowed to do for the token to work.
const SCOPE_PERMISSION = { EXPORT: "exports:read", CHECKIN: "checkin:scan" } as const;

export type TokenChange =
  | { ok: true; token?: string }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" };

/**
 * A new API token: for export scripts (one edition or all) or for a scanning device at the door
 * (one edition). Only its SHA-256 is stored: the token is returned here once and cannot be shown
 * again. A token acts for its creator: it stops working when they are disabled or lose the right.
 */
export async function createApiToken(db: Db, actor: AuditActor, input: unknown): Promise<TokenChange> {
  const parsed = tokenFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { ...parsed.data, tokenHash: hashToken(token), prefix: token.slice(0, 12), createdById: actor.id },
    });
    await recordAudit(tx, actor, {
      editionId: parsed.data.editionId,
      action: "api_token.created",
      subjectType: "api_token",
      subjectId: created.id,
      after: { name: created.name, prefix: created.prefix, scope: created.scope },
    });
  });
  return { ok: true, token };
}

export async function revokeApiToken(
  db: Db,
  actor: AuditActor & { role: Role },
  tokenId: string,
  now = new Date(),
): Promise<TokenChange> {
  return db.$transaction(async (tx): Promise<TokenChange> => {
    const token = await tx.apiToken.findUnique({ where: { id: tokenId } });
    // Organisers revoke their own tokens; admins anyone's.
    if (!token || (token.createdById !== actor.id && actor.role !== "ADMIN")) return { ok: false, reason: "not_found" };
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: token.revokedAt ?? now } });
    await recordAudit(tx, actor, {
      editionId: token.editionId,
      action: "api_token.revoked",
      subjectType: "api_token",
      subjectId: tokenId,
      after: { name: token.name, prefix: token.prefix },
    });
    return { ok: true };
  });
}

/** Why a token is refused: none, unknown, revoked or without the right ("invalid"), or limited to another edition. */
export type TokenAuthentication =
  { ok: true; tokenId: string; editionId: string | null } | { ok: false; reason: "invalid" | "other_edition" };

/** The tokens an actor sees and may revoke: their own, or everyone's for an admin (as `revokeApiToken` checks). */
export async function listApiTokensFor(db: Db, actor: { id: string; role: Role }) {
  return db.apiToken.findMany({
    where: actor.role === "ADMIN" ? {} : { createdById: actor.id },
    orderBy: { createdAt: "desc" },
    include: { edition: true, createdBy: { select: { email: true } } },
  });
}

/**
 * The live token of this scope an `Authorization: Bearer …` header carries, whatever its edition;
 * null when it is missing, unknown, revoked, or its creator lost the right.
 */
export async function liveApiToken(db: Db, authorization: string | null, scope: ApiTokenScope) {
  const token = /^Bearer (gch_[A-Za-z0-9_-]{43})$/.exec(authorization ?? "")?.[1];
  if (!token) return null;
  const found = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { createdBy: { select: { role: true, disabledAt: true } } },
  });
  const live = found && found.scope === scope && !found.revokedAt && !found.createdBy.disabledAt;
  return live && can(found.createdBy.role, SCOPE_PERMISSION[scope]) ? found : null;
}

type LiveApiToken = NonNullable<Awaited<ReturnType<typeof liveApiToken>>>;

// Per instance, tokens found live in the last few seconds, by hash. Only what a token cannot lose is read from
// here (its id, scope, edition): whatever can change (revocation, its creator's disablement or role) is checked
// again by the statement that acts with the token (the door's scan, guichet_scan), so a revocation bites at once.
const RECENTLY_LIVE_MS = 5_000;
const RECENTLY_LIVE_MAX = 1_000;
const recentlyLive = new Map<string, { token: LiveApiToken; until: number }>();

/**
 * `liveApiToken` through a few seconds' per-instance memory of live tokens (never of refusals, so a
 * stranger cannot fill it): for a caller that checks the token again in its own statement.
 */
export async function recentlyLiveApiToken(
  db: Db,
  authorization: string | null,
  scope: ApiTokenScope,
  now = Date.now(),
): Promise<LiveApiToken | null> {
  const key = hashToken(authorization ?? "");
  const remembered = recentlyLive.get(key);
  if (remembered && remembered.until > now && remembered.token.scope === scope) return remembered.token;
  const found = await liveApiToken(db, authorization, scope);
  if (found && authorization) {
    if (recentlyLive.size >= RECENTLY_LIVE_MAX) recentlyLive.clear();
    recentlyLive.set(key, { token: found, until: now + RECENTLY_LIVE_MS });
  }
  return found;
}

// lastUsedAt says roughly when a token last worked; writing it on every call would make one row every device
// using the token writes, so it is written at most once a minute.
const LAST_USED_EVERY_MS = 60_000;

/** Checks an `Authorization: Bearer …` header against live tokens of the scope, for this edition. */
export async function authenticateApiToken(
  db: Db,
  authorization: string | null,
  editionId: string,
  now = new Date(),
  scope: ApiTokenScope = "EXPORT",
): Promise<TokenAuthentication> {
  const found = await liveApiToken(db, authorization, scope);
  if (!found) return { ok: false, reason: "invalid" };
  if (found.editionId !== null && found.editionId !== editionId) return { ok: false, reason: "other_edition" };
  const stale = new Date(now.getTime() - LAST_USED_EVERY_MS);
  await db.apiToken.updateMany({
    where: { id: found.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] },
    data: { lastUsedAt: now },
  });
  return { ok: true, tokenId: found.id, editionId: found.editionId };
}
