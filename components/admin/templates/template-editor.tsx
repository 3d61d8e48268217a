"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { describedBy } from "@/components/field-errors";
import { FormMessage } from "@/components/form-fields";
import { IDLE, type FormState } from "@/lib/forms/form-state";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

/**
 * An editable email's subject and message, with "Preview" (the draft as it is typed, never saved) and "Save". The
 * fields are controlled so that a preview or a refusal keeps every word typed.
 */
export function TemplateEditor({
  preview,
  save,
  hidden,
  initial,
  placeholders,
}: {
  preview: Action;
  save: Action;
  hidden: Record<string, string>;
  initial: { subject: string; body: string };
  placeholders: string;
}) {
  const t = useTranslations("templatesAdmin");
  const [subject, setSubject] = useState(initial.subject);
  const [body, setBody] = useState(initial.body);
  // One answer for both buttons: the last one pressed says what happened.
  const [state, formAction, pending] = useActionState(
    (previous: FormState, formData: FormData) =>
      formData.get("intent") === "preview" ? preview(previous, formData) : save(previous, formData),
    IDLE,
  );
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const params = state.status === "idle" ? {} : (state.params ?? {});
  const words = (field: string) =>
    errors[field]?.map((code) => {
      const names = params[`${field}.${code}`];
      return names === undefined ? t(`error.${code}`) : t("error.named", { error: t(`error.${code}`), names });
    });
  const message =
    state.status === "idle" || (state.status === "saved" && state.preview)
      ? undefined
      : t.has(`result.${state.message}`)
        ? t(`result.${state.message}`)
        : t("result.failed");
  const shown = state.status === "saved" ? state.preview : undefined;
  return (
    <>
      <form action={formAction} className="form" noValidate>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <TextField
          id="template-subject"
          name="subject"
          label={t("subject")}
          value={subject}
          onChange={setSubject}
          errors={words("subject")}
        />
        <TextField
          id="template-body"
          name="body"
          label={t("body")}
          hint={`${t("bodyHint")} ${placeholders}`}
          value={body}
          onChange={setBody}
          errors={words("body")}
          multiline
        />
        <FormMessage message={message} tone={state.status === "saved" ? "success" : "error"} />
        <div className="button-row">
          <button
            type="submit"
            name="intent"
            value="preview"
            className="button button-secondary"
            disabled={pending}
            aria-busy={pending}
          >
            {t("preview")}
          </button>
          <button type="submit" name="intent" value="save" className="button" disabled={pending} aria-busy={pending}>
            {t("save")}
          </button>
        </div>
      </form>
      {shown && (
        <section aria-labelledby="template-preview-title" className="template-preview">
          <h3 id="template-preview-title">{t("previewTitle")}</h3>
          <p>
            {t("previewSubject")} <strong data-testid="template-preview-subject">{shown.subject}</strong>
          </p>
          {/* No script, no same origin: the organisers' words are shown, never run, whatever they contain. */}
          <iframe
            sandbox=""
            srcDoc={shown.html}
            title={t("previewFrame")}
            data-testid="template-preview"
            style={{ width: "100%", minHeight: "24rem", border: "1px solid #d0d4da", borderRadius: "8px" }}
          />
        </section>
      )}
    </>
  );
}

function TextField({
  id,
  name,
  label,
  hint,
  value,
  onChange,
  errors,
  multiline,
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  errors?: string[];
  multiline?: boolean;
}) {
  const common = {
    id,
    name,
    value,
    "aria-invalid": Boolean(errors),
    "aria-describedby": describedBy(hint && `${id}-hint`, errors && `${id}-error`),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={10} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(event) => onChange(event.target.value)} />
      )}
      {/* Each refusal on a line of its own: run together, one's named words read as the start of the next. */}
      {errors &&
        (errors.length === 1 ? (
          <p id={`${id}-error`} className="field-error">
            {errors[0]}
          </p>
        ) : (
          <ul id={`${id}-error`} className="field-error">
            {errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        ))}
    </div>
  );
}
