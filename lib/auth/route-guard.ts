import "server-only";
import { actorWith, currentActor, type Actor } from "./actor";
import type { Permission } from "./roles";

/**
 * For back-office route handlers (downloads): the actor, or the response to send instead — 401
 * without a session, 403 with one that lacks the permission.
 */
export async function routeActor(permission: Permission): Promise<{ actor: Actor; denied?: never } | { actor?: never; denied: Response }> {
  const actor = await actorWith(permission);
  if (actor) return { actor };
  const signedIn = (await currentActor()) !== null;
  return { denied: new Response(signedIn ? "Forbidden\n" : "Sign in first\n", { status: signedIn ? 403 : 401, headers: { "content-type": "text/plain; charset=utf-8" } }) };
}
