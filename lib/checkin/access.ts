import "server-only";
import { actorWith, currentActor } from "@/lib/auth/actor";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
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
  if (await currentActor()) throw new EdgeRefusal(403, "forbidden", { title: "Not assigned to this edition" });
  throw new EdgeRefusal(401, "unauthorized", { title: "Sign in, or use a check-in device token" });
}
