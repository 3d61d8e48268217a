import "server-only";
import { actorWith, currentActor } from "@/lib/auth/actor";
import { authenticateApiToken, liveApiToken } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db/prisma";
import { EdgeRefusal } from "@/lib/http/edge";
import type { Scanner } from "./scan";

/** Organisers and admins scan at any edition; check-in staff only at the editions they are assigned to. */
export async function mayScanEdition(db: Pick<Db, "editionStaff">, actor: { id: string; role: string }, editionId: string): Promise<boolean> {
  if (actor.role !== "CHECKIN_STAFF") return true;
  return (await db.editionStaff.count({ where: { editionId, userId: actor.id } })) > 0;
}

/**
 * Who is scanning at this edition's door: a device token (`Authorization: Bearer …`, check-in
 * scope, this edition) or a signed-in staff member allowed here. Otherwise a 401 or 403 refusal.
 */
export async function scannerAt(db: Db, request: Request, editionId: string): Promise<Scanner> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const token = await authenticateApiToken(db, authorization, editionId, new Date(), "CHECKIN");
    if (token.ok) return { userId: null, apiTokenId: token.tokenId };
    if (token.status === 401) throw new EdgeRefusal(401, "unauthorized", { title: "Invalid check-in token" });
    throw new EdgeRefusal(403, "forbidden", { title: "This token is for another edition" });
  }
  const actor = await actorWith("checkin:scan");
  if (actor && (await mayScanEdition(db, actor, editionId))) return { userId: actor.id, apiTokenId: null };
  // Who is signed in goes back to their own browser, so the refusal can offer to switch account.
  const signedIn = await currentActor();
  if (signedIn) {
    throw new EdgeRefusal(403, "forbidden", { title: "Not assigned to this edition", signedInAs: signedIn.email });
  }
  throw new EdgeRefusal(401, "unauthorized", { title: "Sign in, or use a check-in device token" });
}

/**
 * Whether the request comes from someone at all (a live check-in token, or any signed-in
 * account), asked before its body is read as a scan: a stranger learns nothing of the schema.
 */
export async function requireSomeScanner(db: Db, request: Request): Promise<void> {
  const authorization = request.headers.get("authorization");
  const known = authorization
    ? Boolean(await liveApiToken(db, authorization, "CHECKIN"))
    : Boolean(await currentActor());
  if (!known) throw new EdgeRefusal(401, "unauthorized", { title: "Sign in, or use a check-in device token" });
}
