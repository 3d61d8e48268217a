import "server-only";
import type { FormState } from "@/lib/forms/form-state";
import { refused } from "@/lib/forms/form-state";
import { actorWith, type Actor } from "./actor";
import type { Permission } from "./roles";

/**
 * A back-office server action: checks the caller's session and role before anything else, so a
 * POST made without the page (or from a page of a lower role) changes nothing and learns nothing.
 */
export function adminAction(permission: Permission, handler: (actor: Actor, formData: FormData) => Promise<FormState>) {
  return async (_previous: FormState, formData: FormData): Promise<FormState> => {
    const actor = await actorWith(permission);
    if (!actor) return refused("forbidden");
    return handler(actor, formData);
  };
}
