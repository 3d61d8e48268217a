import "server-only";
import { actorWith, currentActor } from "@/lib/auth/actor";
import { authenticateApiToken, recentlyLiveApiToken } from "@/lib/auth/api-tokens";
import { can, type Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/prisma";
import type { Scanner } from "./scan";

/** Organisers and admins scan at any edition; check-in staff only at the editions they are assigned to. */
export async function mayScanEdition(
  db: Pick<Db, "editionStaff">,
  actor: { id: string; role: string },
  editionId: string,
): Promise<boolean> {
  if (actor.role !== "CHECKIN_STAFF") return true;
  return (await db.editionStaff.count({ where: { editionId, userId: actor.id } })) > 0;
}

/**
 * The editions an actor may scan at, newest first, drafts left out: the rule of `mayScanEdition`
 * (and of the `checkin:scan` permission) as one query, for the scanner's list of doors.
 */
export async function listScannableEditions(db: Db, actor: { id: string; role: Role }) {
  if (!can(actor.role, "checkin:scan")) return [];
  const assigned = actor.role === "CHECKIN_STAFF" ? { staff: { some: { userId: actor.id } } } : {};
  return db.edition.findMany({ where: { status: { not: "DRAFT" }, ...assigned }, orderBy: { startsAt: "desc" } });
}

export type ScannerAccess =
  | { ok: true; scanner: Scanner }
  | { ok: false; reason: "invalid_token" | "token_for_another_edition" | "signed_out" }
  | { ok: false; reason: "not_assigned"; signedInAs: string };

/**
 * Who is scanning at this edition's door: a device token (`Authorization: Bearer …`, check-in
 * scope, this edition) or a signed-in staff member allowed here; otherwise why not.
 */
export async function scannerAt(db: Db, authorization: string | null, editionId: string): Promise<ScannerAccess> {
  if (authorization) {
    const token = await authenticateApiToken(db, authorization, editionId, new Date(), "CHECKIN");
    if (token.ok) return { ok: true, scanner: { userId: null, apiTokenId: token.tokenId } };
    return { ok: false, reason: token.reason === "invalid" ? "invalid_token" : "token_for_another_edition" };
  }
  return staffAt(db, editionId);
}

/**
 * The same for a scan (recordScan), which checks a device token again in its own statement: here the
 * token may come from a few seconds' memory, so a scan makes no query before its own. A token revoked
 * within those seconds passes here and is refused by the scan (`scanner_refused`).
 */
export async function doorScannerAt(db: Db, authorization: string | null, editionId: string): Promise<ScannerAccess> {
  if (!authorization) return staffAt(db, editionId);
  const token = await recentlyLiveApiToken(db, authorization, "CHECKIN");
  if (!token) return { ok: false, reason: "invalid_token" };
  if (token.editionId !== null && token.editionId !== editionId) {
    return { ok: false, reason: "token_for_another_edition" };
  }
  return { ok: true, scanner: { userId: null, apiTokenId: token.id } };
}

async function staffAt(db: Db, editionId: string): Promise<ScannerAccess> {
  const actor = await actorWith("checkin:scan");
  if (actor && (await mayScanEdition(db, actor, editionId))) {
    return { ok: true, scanner: { userId: actor.id, apiTokenId: null } };
  }
  // Who is signed in goes back to their own browser, so the refusal can offer to switch account.
  const signedIn = await currentActor();
  if (!signedIn) return { ok: false, reason: "signed_out" };
  return { ok: false, reason: "not_assigned", signedInAs: signedIn.email };
}

/**
 * Whether the request comes from someone at all (a live check-in token, or any signed-in
 * account), asked before its body is read as a scan: a stranger learns nothing of the schema.
 */
export async function isSomeScanner(db: Db, authorization: string | null): Promise<boolean> {
  if (!authorization) return Boolean(await currentActor());
  return Boolean(await recentlyLiveApiToken(db, authorization, "CHECKIN"));
}
