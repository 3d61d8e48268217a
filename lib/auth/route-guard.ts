import "server-only";
import { actorWith, currentActor, type Actor } from "./actor";
import type { Permission } from "./roles";

export type RouteAccess = { ok: true; actor: Actor } | { ok: false; reason: "signed_out" | "forbidden" };

/** For back-office route handlers (downloads): the actor, or why not (no session, or one without the permission). */
export async function routeActor(permission: Permission): Promise<RouteAccess> {
  const actor = await actorWith(permission);
  if (actor) return { ok: true, actor };
  return { ok: false, reason: (await currentActor()) === null ? "signed_out" : "forbidden" };
}
