import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { FormState } from "@/lib/forms/form-state";
import { refused } from "@/lib/forms/form-state";
import { Prisma } from "@/lib/generated/prisma/client";
import { actorWith, type Actor } from "./actor";
import type { Permission } from "./roles";
import { log } from "@/lib/log/logger";

// Form fields that name a row: "id", "editionId", "editionIds"… Empty means "none" (a new row).
const ID_FIELD = /^(id|[a-z][A-Za-z]*Ids?)$/;
const uuid = z.uuid();

// Prisma's answers to an id that names no row: not found (P2025), a foreign key to nothing
// (P2003), a value the column cannot hold (P2023).
const MISSING_ROW = new Set(["P2025", "P2003", "P2023"]);

/**
 * Runs a back-office handler so that a stale or forged id is a form error, never an unhandled
 * one: ids that are not UUIDs are refused before the handler, ids that name no row are refused
 * when Postgres says so, and anything else unexpected is logged and answered "failed".
 * Next's own control flow (redirect, notFound) passes through.
 */
export async function runAdminHandler(formData: FormData, handler: () => Promise<FormState>): Promise<FormState> {
  for (const [key, value] of formData) {
    const badId = ID_FIELD.test(key) && typeof value === "string" && value !== "" && !uuid.safeParse(value).success;
    if (badId) return refused("not_found");
  }
  try {
    return await handler();
  } catch (error) {
    unstable_rethrow(error);
    const missingRow = error instanceof Prisma.PrismaClientKnownRequestError && MISSING_ROW.has(error.code);
    if (missingRow) return refused("not_found");
    log.error({ err: error }, "back-office action failed");
    return refused("failed");
  }
}

/**
 * A back-office server action: checks the caller's session and role before anything else, so a
 * POST made without the page (or from a page of a lower role) changes nothing and learns nothing.
 */
export function adminAction(permission: Permission, handler: (actor: Actor, formData: FormData) => Promise<FormState>) {
  return async (_previous: FormState, formData: FormData): Promise<FormState> => {
    const actor = await actorWith(permission);
    if (!actor) return refused("forbidden");
    return runAdminHandler(formData, () => handler(actor, formData));
  };
}
