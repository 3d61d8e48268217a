"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { LostTicketState } from "@/app/[locale]/editions/[slug]/lost-ticket-action";
import { describedBy, FieldErrors } from "./field-errors";
import { FormMessage } from "./form-fields";

export function LostTicketForm({ action }: { action: (state: LostTicketState, formData: FormData) => Promise<LostTicketState> }) {
  const t = useTranslations("lostTicket");
  const [state, formAction, pending] = useActionState(action, {});
  const invalid = state.outcome === "invalid_email";
  const message = state.outcome === "sent_if_known" ? t("sent") : state.outcome === "rate_limited" ? t("rate_limited") : undefined;
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={message} tone={state.outcome === "sent_if_known" ? "success" : "error"} />
      <p className="muted">{t("hint")}</p>
      <div className="field">
        <label htmlFor="lost-ticket-email">{t("email")}</label>
        <input
          id="lost-ticket-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={state.email ?? ""}
          aria-invalid={invalid}
          aria-describedby={describedBy(invalid && "lost-ticket-email-error")}
        />
        <FieldErrors id="lost-ticket-email-error" codes={invalid ? ["invalid_email"] : undefined} />
      </div>
      <button type="submit" className="button button-secondary" disabled={pending}>
        {pending ? t("sending") : t("submit")}
      </button>
    </form>
  );
}
