"use server";

import { revalidatePath } from "next/cache";
import {
  bulkSelectionSchema,
  cancelAttendees,
  resendConfirmations,
  type BulkSelection,
  type BulkSummary,
} from "@/lib/attendees/bulk";
import { adminAction } from "@/lib/auth/admin-action";
import { checkInAttendees } from "@/lib/checkin/bulk-check-in";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { refused, saved, type FormState } from "@/lib/forms/form-state";
import { stripe } from "@/lib/payments/stripe";
import { ticketKeys } from "@/lib/tickets/signing-key";

// The form's message is the operation; the params carry the counts, one "skipped_<reason>" per
// reason, for the list's summary line ("12 resent, 1 skipped: not confirmed").
function summaryState(operation: string, summary: BulkSummary): FormState {
  const skipped = Object.fromEntries(
    Object.entries(summary.skipped).map(([reason, count]) => [`skipped_${reason}`, count]),
  );
  return saved(operation, { params: { done: summary.done, ...skipped } });
}

/** One bulk action: the selection parsed, the lib call, the list refreshed, the summary. */
function bulkAction(operation: string, run: (actor: Actor, selection: BulkSelection) => Promise<BulkSummary>) {
  return adminAction("orders:manage", async (actor, formData) => {
    const selection = bulkSelectionSchema.safeParse({
      editionId: formData.get("editionId"),
      ticketIds: formData.getAll("ticketIds"),
    });
    if (!selection.success) return refused("empty_selection");
    const summary = await run(actor, selection.data);
    revalidatePath("/admin", "layout");
    return summaryState(operation, summary);
  });
}

export const bulkResendAction = bulkAction("resent", (actor, selection) => resendConfirmations(db(), actor, selection));

export const bulkCheckInAction = bulkAction("checkedIn", (actor, selection) =>
  checkInAttendees(db(), ticketKeys().verifyKeys, actor, selection),
);

export const bulkCancelAction = bulkAction("cancelled", (actor, selection) =>
  cancelAttendees(db(), stripe(), actor, selection, { refund: false }),
);

export const bulkCancelRefundAction = bulkAction("refunded", (actor, selection) =>
  cancelAttendees(db(), stripe(), actor, selection, { refund: true }),
);
