"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage } from "@/components/form-fields";
import { IDLE, type FormState } from "@/lib/forms/form-state";

/** A one-button back-office form (open, close, resend, delete…), with its answer beside it. */
export function ActionButton({
  action,
  hidden,
  label,
  accessibleLabel,
  confirm,
  danger,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  label: string;
  /** What the button does, named in full, where a row of identical buttons would be ambiguous. */
  accessibleLabel?: string;
  confirm?: string;
  danger?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const t = useTranslations("adminForm");
  const vouchers = useTranslations("voucherAdmin.message");
  const messages = useTranslations("messagesAdmin.result");
  const words = [t, vouchers, messages].find((catalogue) =>
    catalogue.has(state.status === "idle" ? "" : state.message),
  );
  const message = state.status === "idle" ? undefined : words ? words(state.message, state.params) : t("failed");
  return (
    <form
      action={formAction}
      className="action-button"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        className={danger ? "button button-danger" : "button button-secondary"}
        disabled={pending}
        aria-busy={pending}
        aria-label={pending ? undefined : accessibleLabel}
      >
        {pending ? t("working") : label}
      </button>
      <FormMessage message={message} tone={state.status === "saved" ? "success" : "error"} />
    </form>
  );
}
