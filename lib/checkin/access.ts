import "server-only";
import { actorWith, currentActor } from "@/lib/auth/actor";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db/prisma";
import type { Scanner } from "./scan";

/** Organisers and admins scan at any edition; check-in staff only at the editions they are assigned to. */
export async function mayScanEdition(db: Pick<Db, "editionStaff">, actor: { id: string; role: string }, editionId: string): Promise<boolean> {
  if (actor.role !== "CHECKIN_STAFF") return true;
  return (await db.editionStaff.count({ where: { editionId, userId: actor.id } })) > 0;
}

const problem = (status: number, title: string) => Response.json({ title, status }, { status, headers: { "content-type": "application/problem+json" } });

/**
 * Who is scanning at this edition's door: a device token (`Authorization: Bearer …`, check-in
 * scope, this edition) or a signed-in staff member allowed here. Otherwise the response to send.
 */
export async function scannerAt(db: Db, request: Request, editionId: string): Promise<{ scanner: Scanner; denied?: never } | { scanner?: never; denied: Response }> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const token = await authenticateApiToken(db, authorization, editionId, new Date(), "CHECKIN");
    return token.ok ? { scanner: { userId: null, apiTokenId: token.tokenId } } : { denied: problem(token.status, token.status === 401 ? "Invalid check-in token" : "This token is for another edition") };
  }
  const actor = await actorWith("checkin:scan");
  if (actor && (await mayScanEdition(db, actor, editionId))) return { scanner: { userId: actor.id, apiTokenId: null } };
  return { denied: (await currentActor()) ? problem(403, "Not assigned to this edition") : problem(401, "Sign in, or use a check-in device token") };
}
