"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { formValues, refused } from "@/lib/forms/form-state";
import { adminEditionPath } from "@/lib/http/paths";
import { markTransferRefundSent, retryEditionRefund } from "@/lib/payments/refund-retry";
import { stripe } from "@/lib/payments/stripe";

const retrySchema = z.union([
  z.object({ editionId: z.uuid(), editionSlug: z.string().min(1), ticketId: z.uuid() }),
  z.object({ editionId: z.uuid(), editionSlug: z.string().min(1), orphanPaymentId: z.uuid() }),
]);

/** "Retry the refund" on an attendee's page or, for a payment we could not keep, on the dashboard. */
export const retryRefundAction = adminAction("orders:manage", async (actor, formData) => {
  const parsed = retrySchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return refused("not_found");
  const { editionId, editionSlug } = parsed.data;
  const target =
    "ticketId" in parsed.data ? { ticketId: parsed.data.ticketId } : { orphanPaymentId: parsed.data.orphanPaymentId };
  const result = await retryEditionRefund(db(), stripe(), actor, editionId, target);
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin", "layout");
  // The page itself shows the refund's new status.
  redirect(
    "ticketId" in target
      ? `/admin/editions/${editionSlug}/attendees/${target.ticketId}`
      : `/admin/editions/${editionSlug}`,
  );
});

const sentSchema = z.object({ editionId: z.uuid(), editionSlug: z.string().min(1) });

/**
 * "Mark as sent" on the dashboard: the organiser has sent a transfer order's refund from their bank account, on the
 * day they give.
 */
export const markTransferRefundSentAction = adminAction("orders:manage", async (actor, formData) => {
  const parsed = sentSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return refused("not_found");
  const { editionId, editionSlug } = parsed.data;
  const edition = await db().edition.findUnique({ where: { id: editionId }, select: { id: true, timeZone: true } });
  if (!edition) return refused("not_found");
  const values = formValues(formData);
  const result = await markTransferRefundSent(db(), actor, edition, values);
  if (!result.ok && result.reason === "invalid") return refused("invalid", { fieldErrors: result.fieldErrors, values });
  if (!result.ok) return refused(result.reason);
  revalidatePath("/admin", "layout");
  redirect(adminEditionPath(editionSlug));
});
