"use client";

import { useTranslations } from "next-intl";
import { FormMessage } from "@/components/form-fields";
import { usePublicForm, type PublicFormAction } from "@/components/use-public-form";
import type { TicketResendRefusal } from "@/lib/tickets/resend-ticket";

/**
 * "Resend this ticket" on one named ticket of the buyer's order page: the attendee gets their ticket
 * email again. The answer stays beside the button (sent, or why not, such as "wait a few minutes").
 */
export function ResendTicket({ action }: { action: PublicFormAction<TicketResendRefusal | "invalid"> }) {
  const t = useTranslations("ticketSelfService.resend");
  const { state, formAction, pending } = usePublicForm(action);
  const refusal = state.reason && (t.has(`refusal.${state.reason}`) ? state.reason : "not_allowed");
  const message = refusal
    ? t(`refusal.${refusal}`, { minutes: state.params?.minutes ?? 0 })
    : state.done && t("done", { email: state.done });
  return (
    <form action={formAction} className="inline-form resend-ticket">
      <FormMessage message={message || undefined} tone={refusal ? "error" : "success"} />
      <button type="submit" className="button button-secondary" disabled={pending}>
        {pending ? t("sending") : t("submit")}
      </button>
    </form>
  );
}
