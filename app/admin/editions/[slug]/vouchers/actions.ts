"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { answerOf, formValues, refused, saved } from "@/lib/forms/form-state";
import { importSpeakers } from "@/lib/vouchers/speakers";
import { createVouchers, setVoucherActive, updateVoucher } from "@/lib/vouchers/voucher";

// The ticket types come as one checkbox each under one name: all of them, not the last one formValues keeps.
const voucherForm = (formData: FormData) => ({
  ...formValues(formData),
  ticketTypeIds: formData.getAll("ticketTypeIds").map(String),
});

export const createVouchersAction = adminAction("editions:manage", async (actor, formData) => {
  const result = await createVouchers(db(), actor, String(formData.get("editionId")), voucherForm(formData));
  if (!result.ok) return answerOf(result, formData, "");
  revalidatePath("/admin", "layout");
  const [first] = result.vouchers;
  return formData.get("code")
    ? saved("voucher_created", { params: { code: first.code } })
    : saved("vouchers_generated", { params: { count: result.vouchers.length } });
});

export const updateVoucherAction = adminAction("editions:manage", async (actor, formData) => {
  const editionId = String(formData.get("editionId"));
  const result = await updateVoucher(db(), actor, editionId, String(formData.get("voucherId")), voucherForm(formData));
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, "voucher_saved");
});

export const setVoucherActiveAction = adminAction("editions:manage", async (actor, formData) => {
  const active = formData.get("active") === "true";
  const editionId = String(formData.get("editionId"));
  const result = await setVoucherActive(db(), actor, editionId, String(formData.get("voucherId")), active);
  if (result.ok) revalidatePath("/admin", "layout");
  return answerOf(result, formData, active ? "voucher_reactivated" : "voucher_deactivated");
});

export const importSpeakersAction = adminAction("editions:manage", async (actor, formData) => {
  const file = formData.get("file");
  // No file chosen comes as a nameless empty part; a chosen file that is empty is the import's to say.
  if (!(file instanceof File) || (file.size === 0 && !file.name))
    return refused("invalid", { fieldErrors: { file: ["file_required"] } });
  const result = await importSpeakers(db(), actor, String(formData.get("editionId")), {
    ticketTypeId: String(formData.get("ticketTypeId")),
    file: await file.text(),
    allocationId: String(formData.get("allocationId") ?? "") || null,
  });
  if (!result.ok && result.reason === "unknown_allocation")
    return refused("invalid", { fieldErrors: { allocationId: ["unknown_allocation"] } });
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin", "layout");
  return saved("speakers_imported", {
    params: { created: result.created, skipped: result.skipped },
    skippedLines: result.problems,
  });
});
