"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { describedBy, FieldErrors } from "@/components/field-errors";
import { FormMessage, RequiredMark } from "@/components/form-fields";
import { SecretReveal } from "@/components/admin/secret-reveal";
import { IDLE, type FormState } from "@/lib/forms/form-state";

export type FieldSpec = {
  name: string;
  label: string;
  type?:
    | "text"
    | "email"
    | "url"
    | "password"
    | "textarea"
    | "select"
    | "checkbox"
    | "datetime-local"
    | "date"
    | "time"
    | "number"
    | "file";
  /** A file field's accepted types ("image/png,image/jpeg"). */
  accept?: string;
  /**
   * A file field's largest size, checked as soon as a file is chosen: a bigger one would be refused by the server
   * anyway, and one over the server actions' body limit would crash the page instead. `error` is the field error
   * code shown, the server's own for that refusal.
   */
  maxBytes?: { bytes: number; error: string };
  required?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  defaultValue?: string;
  /** A checkbox's value when several share one name (a list of choices); "on" otherwise. */
  value?: string;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal";
};

type Props = {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  fields: FieldSpec[];
  hidden?: Record<string, string>;
  submitLabel: string;
  idPrefix: string;
  legend?: string;
  danger?: boolean;
  /** Asked before sending, for what cannot be undone. */
  confirm?: string;
};

/** Any back-office form: fields described by the (server) page, errors and messages by code. */
export function AdminForm({ action, fields, hidden = {}, submitLabel, idPrefix, legend, danger, confirm }: Props) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const t = useTranslations("adminForm");
  // The transfers', vouchers' and waiting list's outcomes have their own catalogues (a refusal that names the
  // amount due, a seat lost, the codes created).
  const transfers = useTranslations("transferAdmin.message");
  const certificates = useTranslations("certificates.settings.message");
  const vouchers = useTranslations("voucherAdmin.message");
  const waitingList = useTranslations("waitingListAdmin.message");
  const messages = useTranslations("messagesAdmin.result");
  const dataRights = useTranslations("dataRights.admin.message");
  // The file fields whose chosen file is over its maxBytes: their error shows, and the form is not sent.
  const [oversized, setOversized] = useState<Record<string, string>>({});
  const values = state.status === "error" ? state.values : undefined;
  const errors = { ...(state.status === "error" ? (state.fieldErrors ?? {}) : {}) };
  for (const [name, code] of Object.entries(oversized)) errors[name] = [code];
  const chooseFile = (field: FieldSpec, file: File | undefined) =>
    setOversized((previous) => {
      const next = { ...previous };
      delete next[field.name];
      if (field.maxBytes && file && file.size > field.maxBytes.bytes) next[field.name] = field.maxBytes.error;
      return next;
    });
  const words = (key: string) =>
    [t, transfers, vouchers, waitingList, certificates, messages, dataRights].find((catalogue) => catalogue.has(key));
  const say = (key: string, params?: Record<string, string | number>) =>
    (words(key) ?? t)(words(key) ? key : "failed", params);
  const message = state.status === "idle" ? undefined : say(state.message, state.params);
  const link =
    state.status === "error" && state.link ? { href: state.link.href, text: say(state.link.label) } : undefined;
  const body = (
    <>
      {fields.map((field) => (
        <Field
          key={`${field.name}-${field.value ?? ""}`}
          field={field}
          id={`${idPrefix}-${field.name}${field.value ? `-${field.value}` : ""}`}
          value={values && !field.value ? (values[field.name] ?? "") : field.defaultValue}
          errors={errors[field.name]}
          onFileChosen={field.maxBytes && ((file) => chooseFile(field, file))}
        />
      ))}
    </>
  );
  return (
    <form
      action={formAction}
      className="form"
      noValidate
      onSubmit={(event) => {
        const [first] = Object.keys(oversized);
        if (first) {
          event.preventDefault();
          event.currentTarget.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
          return;
        }
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {legend ? (
        <fieldset>
          <legend>{legend}</legend>
          {body}
        </fieldset>
      ) : (
        body
      )}
      <FormMessage message={message} tone={state.status === "saved" ? "success" : "error"} link={link} />
      {state.status === "saved" && state.secret && <SecretReveal secret={state.secret} qrSvg={state.secretQr} />}
      <div>
        <button
          type="submit"
          className={danger ? "button button-danger" : "button"}
          disabled={pending}
          aria-busy={pending}
        >
          {pending ? t("working") : submitLabel}
        </button>
      </div>
    </form>
  );
}

function Field({
  field,
  id,
  value,
  errors,
  onFileChosen,
}: {
  field: FieldSpec;
  id: string;
  value?: string;
  errors?: string[];
  onFileChosen?: (file: File | undefined) => void;
}) {
  const common = {
    id,
    name: field.name,
    required: field.required,
    "aria-required": field.required,
    "aria-invalid": Boolean(errors),
    "aria-describedby": describedBy(field.hint && `${id}-hint`, errors && `${id}-error`),
  };
  const hint = field.hint ? (
    <p id={`${id}-hint`} className="hint">
      {field.hint}
    </p>
  ) : null;
  if (field.type === "checkbox") {
    return (
      <div className="field field-checkbox">
        <input type="checkbox" {...common} value={field.value} defaultChecked={value === "on" || value === "true"} />
        <label htmlFor={id}>{field.label}</label>
        {hint}
        <FieldErrors id={`${id}-error`} codes={errors} />
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {field.required && <RequiredMark />}
      </label>
      {hint}
      {field.type === "textarea" ? (
        <textarea {...common} rows={4} defaultValue={value ?? ""} />
      ) : field.type === "select" ? (
        <select {...common} defaultValue={value ?? ""}>
          {(field.options ?? []).map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : field.type === "file" ? (
        <input
          {...common}
          type="file"
          accept={field.accept}
          onChange={onFileChosen && ((event) => onFileChosen(event.target.files?.[0]))}
        />
      ) : (
        <input
          {...common}
          type={field.type === "number" ? "text" : (field.type ?? "text")}
          inputMode={field.inputMode}
          autoComplete={field.autoComplete ?? "off"}
          defaultValue={value ?? ""}
        />
      )}
      <FieldErrors id={`${id}-error`} codes={errors} />
    </div>
  );
}
