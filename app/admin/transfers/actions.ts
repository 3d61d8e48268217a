"use server";

import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { actorWith } from "@/lib/auth/actor";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { refused } from "@/lib/forms/form-state";
import { adminStatementImportPath, adminTransfersPath } from "@/lib/http/paths";
import { confirmImport, importStatement, MAX_STATEMENT_BYTES } from "@/lib/payments/statement-import";
import type { ConfirmState } from "./confirm-state";

/** "Read the statement": stored as read, then reviewed on its own page before anything is confirmed. */
export const uploadStatementAction = adminAction("orders:manage", async (actor, formData) => {
  const file = formData.get("statement");
  if (!(file instanceof File) || file.size === 0) return refused("no_file");
  if (file.size > MAX_STATEMENT_BYTES) return refused("too_large");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = await importStatement(db(), actor, { fileName: file.name, bytes });
  if (!result.ok) return refused(result.reason, { params: { detail: result.detail ?? "" } });
  revalidatePath(adminTransfersPath());
  redirect(adminStatementImportPath(result.importId));
});

/** "Confirm the N matched orders" of an import: each order's result, for the page to list. */
export async function confirmImportAction(_previous: ConfirmState, formData: FormData): Promise<ConfirmState> {
  const actor = await actorWith("orders:manage");
  if (!actor) return { status: "error", message: "forbidden" };
  const importId = z.uuid().safeParse(formData.get("importId"));
  if (!importId.success) return { status: "error", message: "not_found" };
  try {
    const confirmed = await confirmImport(db(), actor, importId.data);
    if (!confirmed.ok) return { status: "error", message: "not_found" };
    revalidatePath("/admin", "layout");
    const results = confirmed.results.map(({ lineId, reference, editionSlug, result }) => ({
      lineId,
      reference,
      editionSlug,
      ok: result.ok,
      outcome: result.ok ? result.outcome : result.reason,
    }));
    return { status: "done", results };
  } catch (error) {
    unstable_rethrow(error);
    console.error("statement confirmation failed", error);
    return { status: "error", message: "failed" };
  }
}
