"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { adminAction } from "@/lib/auth/admin-action";
import { db } from "@/lib/db/prisma";
import { refused, saved } from "@/lib/forms/form-state";
import { adminPrivacyPath } from "@/lib/http/paths";
import { stripe } from "@/lib/payments/stripe";
import { eraseAddress } from "@/lib/privacy/erase";
import { erasedQuery } from "@/lib/privacy/overview";
import { privacyKey, refuseRequest } from "@/lib/privacy/requests";
import { appNow } from "@/lib/time/clock";

const eraseForm = z.object({
  email: z
    .string()
    .transform(privacyKey)
    .pipe(z.email({ error: "invalid_email" })),
});
const refuseForm = z.object({
  id: z.uuid(),
  note: z.string().trim().min(1, { error: "note_required" }).max(1000, { error: "too_long" }),
});

export const eraseAddressAction = adminAction("users:manage", async (actor, formData) => {
  const parsed = eraseForm.safeParse({ email: formData.get("email") });
  if (!parsed.success) return refused("invalid", { fieldErrors: { email: ["invalid_email"] } });
  // The app's clock: "editions not ended" as the door and the sweeps judge it.
  const erasure = await eraseAddress(db(), stripe(), parsed.data.email, actor, appNow());
  revalidatePath(adminPrivacyPath());
  // Back to the address, which now holds nothing: its section (and this form with its message) is gone, so the
  // counts travel in the address for the page to say.
  const { tickets, orders, waitingList } = erasure.anonymised;
  const counts = { tickets, orders, entries: waitingList, cancelled: erasure.cancelled.done };
  redirect(adminPrivacyPath({ email: parsed.data.email, ...erasedQuery(counts) }));
});

export const refuseRequestAction = adminAction("users:manage", async (actor, formData) => {
  const parsed = refuseForm.safeParse({ id: formData.get("id"), note: formData.get("note") ?? "" });
  if (!parsed.success) {
    const note = parsed.error.issues.find((issue) => issue.path[0] === "note")?.message ?? "note_required";
    return refused("invalid", { fieldErrors: { note: [note] }, values: { note: String(formData.get("note") ?? "") } });
  }
  const result = await refuseRequest(db(), parsed.data.id, actor, parsed.data.note, appNow());
  if (!result.ok) return refused(result.reason);
  revalidatePath(adminPrivacyPath());
  return saved("refused");
});
