"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { describedBy, FieldErrors } from "./field-errors";
import { FormMessage } from "./form-fields";

export type EmailLinkRequestState = { outcome?: "sent_if_known" | "invalid_email" | "rate_limited"; email?: string };

/**
 * "Send me a link by email" forms (lost ticket, returning attendee): one email field, and the same
 * answer whether or not the address is known.
 */
export function EmailLinkRequestForm({
  action,
  namespace,
}: {
  action: (state: EmailLinkRequestState, formData: FormData) => Promise<EmailLinkRequestState>;
  namespace: "lostTicket" | "returning";
}) {
  const t = useTranslations(namespace);
  const [state, formAction, pending] = useActionState(action, {});
  const id = `${namespace}-email`;
  const invalid = state.outcome === "invalid_email";
  const message = state.outcome === "sent_if_known" ? t("sent") : state.outcome === "rate_limited" ? t("rate_limited") : undefined;
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={message} tone={state.outcome === "sent_if_known" ? "success" : "error"} />
      <p className="muted">{t("hint")}</p>
      <div className="field">
        <label htmlFor={id}>{t("email")}</label>
        <input
          id={id}
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={state.email ?? ""}
          aria-invalid={invalid}
          aria-describedby={describedBy(invalid && `${id}-error`)}
        />
        <FieldErrors id={`${id}-error`} codes={invalid ? ["invalid_email"] : undefined} />
      </div>
      <button type="submit" className="button button-secondary" disabled={pending}>
        {pending ? t("sending") : t("submit")}
      </button>
    </form>
  );
}
