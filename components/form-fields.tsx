"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, type ReactNode } from "react";
import { describedBy, FieldErrors } from "./field-errors";

export type QuestionField = {
  key: string;
  type: "TEXT" | "SELECT" | "CHECKBOX";
  required: boolean;
  label: string;
  options: { value: string; label: string }[];
};

export const ATTENDEE_FIELDS = [
  {
    name: "attendee.firstName",
    label: "firstName",
    autoComplete: "given-name",
    required: true,
    type: "text",
    maxLength: 100,
  },
  {
    name: "attendee.lastName",
    label: "lastName",
    autoComplete: "family-name",
    required: true,
    type: "text",
    maxLength: 100,
  },
  {
    name: "attendee.email",
    label: "email",
    autoComplete: "email",
    required: true,
    type: "email",
    maxLength: 254,
    hint: "emailHint",
  },
  {
    name: "attendee.company",
    label: "company",
    autoComplete: "organization",
    required: false,
    type: "text",
    maxLength: 200,
  },
] as const;

export type AttendeeFieldName = (typeof ATTENDEE_FIELDS)[number]["name"];

type Errors = Record<string, string[] | undefined>;

export function RequiredMark() {
  return (
    <span className="required" aria-hidden="true">
      {" "}
      *
    </span>
  );
}

/** The refusal message of a form; focused when it changes so screen readers and keyboards hear it. */
export function FormMessage({ message, tone = "error" }: { message?: string; tone?: "error" | "success" }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={tone === "error" ? "alert" : "status"}
      className={message ? `form-message ${tone}` : "form-message"}
    >
      {message}
    </div>
  );
}

/**
 * Attendee text fields, labelled from the "register" catalogue; `idPrefix` keeps ids unique when two forms share a
 * page. `scope` renames their "attendee." part where one form holds several people (`buyer`,
 * `tickets.2.attendee`).
 */
export function AttendeeFields({
  names,
  values,
  errors,
  idPrefix = "field",
  hints = {},
  scope = "attendee",
}: {
  names: readonly AttendeeFieldName[];
  values: Record<string, string>;
  errors: Errors;
  idPrefix?: string;
  /** A hint (already translated) in place of the registration form's own, where a field means more. */
  hints?: Partial<Record<AttendeeFieldName, string>>;
  scope?: string;
}) {
  const t = useTranslations("register");
  return ATTENDEE_FIELDS.filter((field) => names.includes(field.name)).map((field) => {
    const name = `${scope}.${field.name.slice("attendee.".length)}`;
    const id = `${idPrefix}-${name.replaceAll(".", "-")}`;
    const hint = hints[field.name] ?? ("hint" in field ? t(field.hint) : undefined);
    return (
      <div key={field.name} className="field">
        <label htmlFor={id}>
          {t(field.label)}
          {field.required && <RequiredMark />}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="hint">
            {hint}
          </p>
        )}
        <input
          id={id}
          name={name}
          type={field.type}
          autoComplete={scope === "attendee" || scope === "buyer" ? field.autoComplete : "off"}
          maxLength={field.maxLength}
          required={field.required}
          aria-required={field.required}
          aria-invalid={Boolean(errors[name])}
          aria-describedby={describedBy(hint && `${id}-hint`, errors[name] && `${id}-error`)}
          defaultValue={values[name] ?? ""}
        />
        <FieldErrors id={`${id}-error`} codes={errors[name]} />
      </div>
    );
  });
}

export function QuestionInput({
  question,
  value,
  errors,
  idPrefix = "field",
  scope = "",
}: {
  question: QuestionField;
  value?: string;
  errors?: string[];
  idPrefix?: string;
  /** Where one form holds several attendees' answers: "tickets.2." */
  scope?: string;
}) {
  const t = useTranslations("register");
  const name = `${scope}answers.${question.key}`;
  const id = `${idPrefix}-${name.replaceAll(".", "-")}`;
  const common = {
    id,
    name,
    required: question.required,
    "aria-required": question.required,
    "aria-invalid": Boolean(errors),
    "aria-describedby": describedBy(errors && `${id}-error`),
  };
  const label: ReactNode = (
    <>
      {question.label}
      {question.required && <RequiredMark />}
    </>
  );
  if (question.type === "CHECKBOX") {
    return (
      <div className="field field-checkbox">
        <input type="checkbox" {...common} defaultChecked={value === "on"} />
        <label htmlFor={id}>{label}</label>
        <FieldErrors id={`${id}-error`} codes={errors} />
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {question.type === "SELECT" ? (
        <select {...common} defaultValue={value ?? ""}>
          <option value="">{t("choose")}</option>
          {question.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <textarea {...common} rows={2} maxLength={1000} defaultValue={value ?? ""} />
      )}
      <FieldErrors id={`${id}-error`} codes={errors} />
    </div>
  );
}
