"use client";

import { useTranslations } from "next-intl";
import type { EmailLinkRefusal } from "@/lib/web/email-link-state";
import { describedBy, FieldErrors } from "./field-errors";
import { FormMessage } from "./form-fields";
import { PrivacyNoticeLink } from "./privacy-notice-link";
import { usePublicForm, type PublicFormAction } from "./use-public-form";

export type EmailLinkAction = PublicFormAction<EmailLinkRefusal | "invalid">;

/**
 * "Send me a link by email" forms (lost ticket, returning attendee): one email field, and the same
 * answer whether or not the address is known.
 */
export function EmailLinkRequestForm({
  action,
  namespace,
}: {
  action: EmailLinkAction;
  namespace: "lostTicket" | "returning";
}) {
  const t = useTranslations(namespace);
  const { state, formAction, pending, values } = usePublicForm(action);
  const id = `${namespace}-email`;
  const invalid = state.reason === "invalid_email" || state.reason === "invalid";
  const message = state.done ? t("sent") : state.reason === "rate_limited" ? t("rate_limited") : undefined;
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={message} tone={state.done ? "success" : "error"} />
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
          defaultValue={values.email ?? ""}
          aria-invalid={invalid}
          aria-describedby={describedBy(invalid && `${id}-error`)}
        />
        <FieldErrors id={`${id}-error`} codes={invalid ? ["invalid_email"] : undefined} />
      </div>
      <PrivacyNoticeLink />
      <button type="submit" className="button button-secondary" disabled={pending}>
        {pending ? t("sending") : t("submit")}
      </button>
    </form>
  );
}
