"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState, type MouseEvent } from "react";
import { FormMessage } from "@/components/form-fields";
import { IDLE, type FormState } from "@/lib/forms/form-state";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

// Row checkboxes live in the table, outside the bar's form, and join it through their `form`
// attribute: the table stays a server component, and the form's elements list is the selection.
const boxesOf = (formId: string) => [
  ...document.querySelectorAll<HTMLInputElement>(`input[name="ticketIds"][form="${formId}"]`),
];

/** How many rows are ticked, kept up to date from the form's change events. */
function useSelectionCount(formId: string) {
  const [count, setCount] = useState({ checked: 0, total: 0 });
  useEffect(() => {
    const update = () => {
      const boxes = boxesOf(formId);
      setCount({ checked: boxes.filter((box) => box.checked).length, total: boxes.length });
    };
    // React resets the form once an action has run, which clears the ticks without a change event;
    // the reset event comes before the reset itself, so the count is read just after.
    const afterReset = () => queueMicrotask(update);
    update();
    document.addEventListener("change", update);
    document.addEventListener("reset", afterReset, true);
    return () => {
      document.removeEventListener("change", update);
      document.removeEventListener("reset", afterReset, true);
    };
  }, [formId]);
  return count;
}

/** "Select all on this page": ticks or unticks every row shown, and says so when only some are. */
export function SelectAllRows({ formId, label }: { formId: string; label: string }) {
  const { checked, total } = useSelectionCount(formId);
  return (
    <input
      type="checkbox"
      aria-label={label}
      checked={total > 0 && checked === total}
      ref={(box) => {
        if (box) box.indeterminate = checked > 0 && checked < total;
      }}
      onChange={(event) => {
        for (const box of boxesOf(formId)) box.checked = event.target.checked;
        document.dispatchEvent(new Event("change"));
      }}
    />
  );
}

type Summary = { status: FormState["status"]; message: string; params?: Record<string, string | number> };

/** The bar of bulk actions on the ticked rows, with one summary line for what was done and skipped. */
export function AttendeeBulkActions({
  formId,
  editionId,
  badgesAction,
  actions,
}: {
  formId: string;
  editionId: string;
  badgesAction: string;
  actions: { resend: Action; checkIn: Action; cancel: Action; cancelRefund: Action };
}) {
  const t = useTranslations("attendeeList");
  const adminForm = useTranslations("adminForm");
  const { checked } = useSelectionCount(formId);
  const [last, setLast] = useState<Summary | null>(null);
  const wrap =
    (action: Action): Action =>
    async (state, formData) => {
      const answer = await action(state, formData);
      if (answer.status !== "idle") setLast(answer);
      return answer;
    };
  const [, resend, resending] = useActionState(wrap(actions.resend), IDLE);
  const [, checkIn, checkingIn] = useActionState(wrap(actions.checkIn), IDLE);
  const [, cancel, cancelling] = useActionState(wrap(actions.cancel), IDLE);
  const [, cancelRefund, refunding] = useActionState(wrap(actions.cancelRefund), IDLE);
  const pending = resending || checkingIn || cancelling || refunding;
  // Nothing to act on, or an action already running.
  const unavailable = pending || checked === 0;

  let message: string | undefined;
  if (last?.status === "saved") {
    const params = last.params ?? {};
    const reasons = Object.entries(params)
      .filter(([key]) => key.startsWith("skipped_"))
      .map(([key, count]) => ({ reason: key.slice("skipped_".length), count: Number(count) }));
    const skipped = reasons.reduce((sum, { count }) => sum + count, 0);
    const label = (reason: string) => (t.has(`reason.${reason}`) ? t(`reason.${reason}`) : reason);
    // One reason needs no count of its own: "1 skipped: not confirmed".
    const why =
      reasons.length === 1
        ? label(reasons[0].reason)
        : reasons.map(({ reason, count }) => t("skippedReason", { count, reason: label(reason) })).join(", ");
    message =
      t(`done.${last.message}`, { count: Number(params.done ?? 0) }) +
      (skipped > 0 ? t("skipped", { count: skipped, reasons: why }) : "");
  } else if (last?.status === "error") {
    message = t.has(`error.${last.message}`)
      ? t(`error.${last.message}`)
      : adminForm.has(last.message)
        ? adminForm(last.message)
        : adminForm("failed");
  }

  return (
    <form id={formId} className="bulk-bar" aria-label={t("barLabel")} aria-busy={pending}>
      <input type="hidden" name="editionId" value={editionId} />
      <p className="bulk-count" aria-live="polite" data-testid="bulk-count">
        {t("selected", { count: checked })}
      </p>
      <div className="button-row">
        <BulkButton formAction={resend} disabled={unavailable} label={resending ? t("working") : t("resend")} />
        <BulkButton formAction={checkIn} disabled={unavailable} label={checkingIn ? t("working") : t("checkIn")} />
        <BulkButton formAction={badgesAction} formMethod="post" disabled={unavailable} label={t("badges")} />
        <BulkButton
          formAction={cancel}
          disabled={unavailable}
          danger
          confirm={t("confirmCancel", { count: checked })}
          label={cancelling ? t("working") : t("cancel")}
        />
        <BulkButton
          formAction={cancelRefund}
          disabled={unavailable}
          danger
          confirm={t("confirmRefund", { count: checked })}
          label={refunding ? t("working") : t("cancelRefund")}
        />
      </div>
      <FormMessage message={message} tone={last?.status === "saved" ? "success" : "error"} />
    </form>
  );
}

/** One of the bar's buttons: submits the selection to its action, after a confirmation when one is asked for. */
function BulkButton({
  formAction,
  formMethod,
  disabled,
  danger,
  confirm,
  label,
}: {
  formAction: string | ((formData: FormData) => void);
  formMethod?: "post";
  disabled: boolean;
  danger?: boolean;
  confirm?: string;
  label: string;
}) {
  return (
    <button
      type="submit"
      className={danger ? "button button-danger" : "button button-secondary"}
      formAction={formAction}
      formMethod={formMethod}
      disabled={disabled}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {label}
    </button>
  );
}
