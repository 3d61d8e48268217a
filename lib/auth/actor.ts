import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authOptions, type SessionUser } from "./options";
import { can, type Permission } from "./roles";

export type Actor = SessionUser;

/** The signed-in back-office user of this request, read from their database session. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  const user = session?.user as SessionUser | undefined;
  return user?.id ? user : null;
});

/** For server actions and routes: the actor if they hold the permission, otherwise null. */
export async function actorWith(permission: Permission): Promise<Actor | null> {
  const actor = await currentActor();
  return actor && can(actor.role, permission) ? actor : null;
}

/**
 * For back-office pages: the actor, or a redirect to the sign-in page (anonymous) or to the
 * "not allowed" page (wrong role). Pages only show; each action checks again for itself.
 */
export async function requirePermission(permission: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/admin/sign-in");
  if (!can(actor.role, permission)) redirect("/admin/forbidden");
  return actor;
}
