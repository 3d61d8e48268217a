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
export function FormMessage({
  message,
  tone = "error",
  link,
}: {
  message?: string;
  tone?: "error" | "success";
  /** Where the refusal is put right, after the message. */
  link?: { href: string; text: string };
}) {
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
      {message && link && (
        <>
          {" "}
          <a href={link.href}>{link.text}</a>
        </>
      )}
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
      <TextField
        key={field.name}
        id={id}
        name={name}
        label={t(field.label)}
        hint={hint}
        type={field.type}
        autoComplete={scope === "attendee" || scope === "buyer" ? field.autoComplete : "off"}
        maxLength={field.maxLength}
        required={field.required}
        codes={errors[name]}
        defaultValue={values[name] ?? ""}
      />
    );
  });
}

/** One labelled text input, with its hint and its errors read with it (aria-describedby). */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  type: "text" | "email";
  autoComplete: string;
  maxLength: number;
  required: boolean;
  codes: string[] | undefined;
  defaultValue: string;
}) {
  const { id, name, label, hint, type, autoComplete, maxLength, required, codes, defaultValue } = props;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <RequiredMark />}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        maxLength={maxLength}
        required={required}
        aria-required={required}
        aria-invalid={Boolean(codes)}
        aria-describedby={describedBy(hint && `${id}-hint`, codes && `${id}-error`)}
        defaultValue={defaultValue}
      />
      <FieldErrors id={`${id}-error`} codes={codes} />
    </div>
  );
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
