"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { formValues, refused } from "@/lib/forms/form-state";
import { adminOrderPath } from "@/lib/http/paths";
import { formatMoney } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { extendDeadlineTo, markTransferReceived } from "@/lib/payments/transfer-desk";

async function editionOf(formData: FormData) {
  return db().edition.findUnique({
    where: { id: String(formData.get("editionId")) },
    select: { id: true, slug: true, timeZone: true, currency: true },
  });
}

const backToOrder = (slug: string, formData: FormData, done: string): never =>
  redirect(adminOrderPath(slug, String(formData.get("reference")), { done }));

/** "Mark as paid by transfer" on a transfer order's page. */
export const markTransferPaidAction = adminAction("orders:manage", async (actor, formData) => {
  const edition = await editionOf(formData);
  if (!edition) return refused("not_found");
  const result = await markTransferReceived(db(), actor, edition, formValues(formData));
  const values = formValues(formData);
  if (!result.ok && result.reason === "invalid") return refused("invalid", { fieldErrors: result.fieldErrors, values });
  if (!result.ok && result.reason === "amount_mismatch") {
    const due = formatMoney(result.dueCents ?? 0, edition.currency, await currentLocale());
    return refused("amount_mismatch", { params: { due }, values });
  }
  if (!result.ok) return refused(result.reason === "unknown_order" ? "not_found" : result.reason, { values });
  revalidatePath("/admin", "layout");
  // The order is confirmed: the forms give way to the payment, and the page says what happened.
  return backToOrder(
    edition.slug,
    formData,
    result.outcome === "confirmed" ? "transfer_confirmed" : "transfer_confirmed_late",
  );
});

/** "Extend the deadline" on a pending transfer order's page. */
export const moveTransferDeadlineAction = adminAction("orders:manage", async (actor, formData) => {
  const edition = await editionOf(formData);
  if (!edition) return refused("not_found");
  const values = formValues(formData);
  const result = await extendDeadlineTo(db(), actor, edition, values);
  if (!result.ok && result.reason === "invalid") return refused("invalid", { fieldErrors: result.fieldErrors, values });
  if (!result.ok) {
    const message = { unknown_order: "not_found", not_awaiting: "deadline_not_awaiting" }[result.reason as string];
    return refused(message ?? result.reason, { values });
  }
  revalidatePath("/admin", "layout");
  return backToOrder(edition.slug, formData, "deadline_extended");
});
