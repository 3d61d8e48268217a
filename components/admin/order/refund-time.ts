import { bookedDay } from "@/components/admin/booked-day";
import type { Locale } from "@/lib/i18n/locales";

export type RefundShown = { method: string; status: string; settledAt: Date | null; createdAt: Date };

/** When a refund was made: a transfer's is the day the organiser sent it (a bank's day); the others' the moment. */
export function refundTime(refund: RefundShown, when: (date: Date | null) => string, locale: Locale): string {
  if (refund.method === "TRANSFER" && refund.status === "SUCCEEDED" && refund.settledAt) {
    return bookedDay(refund.settledAt, locale);
  }
  return when(refund.settledAt ?? refund.createdAt);
}
