"use server";

import { getTranslations } from "next-intl/server";
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
import { skippedSummary } from "./skipped-lines";
import { log } from "@/lib/log/logger";

/** "Read the statement": stored as read, then reviewed on its own page before anything is confirmed. */
export const uploadStatementAction = adminAction("orders:manage", async (actor, formData) => {
  const file = formData.get("statement");
  // A form sent without a file still carries one: nameless and empty.
  if (!(file instanceof File) || (file.size === 0 && file.name === "")) return refused("no_file");
  if (file.size === 0) return refused("empty");
  if (file.size > MAX_STATEMENT_BYTES) return refused("too_large");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = await importStatement(db(), actor, { fileName: file.name, bytes });
  if (!result.ok) {
    const t = await getTranslations("transferAdmin");
    if (result.reason === "no_line_read") {
      return refused(result.reason, { params: { detail: skippedSummary(t, result.skipped) } });
    }
    const detail = result.reason === "missing_columns" ? (result.detail?.split(", ") ?? []) : [];
    const columns = detail.map((column) => t(`skipped.columnNames.${column}`)).join(", ");
    return refused(result.reason, { params: { detail: columns } });
  }
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
    log.error({ err: error }, "statement confirmation failed");
    return { status: "error", message: "failed" };
  }
}
