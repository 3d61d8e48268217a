"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import type { RegistrationFormState } from "@/lib/orders/registration-form";
import { describedBy, FieldErrors } from "./field-errors";

export type TicketChoice = { code: string; name: string; price: string; availability: string; disabled: boolean };
export type QuestionField = {
  key: string;
  type: "TEXT" | "SELECT" | "CHECKBOX";
  required: boolean;
  label: string;
  options: { value: string; label: string }[];
};

type Props = {
  action: (state: RegistrationFormState, formData: FormData) => Promise<RegistrationFormState>;
  ticketTypes: TicketChoice[];
  questions: QuestionField[];
  selectedTicketType?: string;
  /** What the attendee typed before, e.g. when they come back from a cancelled payment. */
  initialValues?: Record<string, string>;
  notes: string[];
};

const ATTENDEE_FIELDS = [
  { name: "attendee.firstName", label: "firstName", autoComplete: "given-name", required: true, type: "text", maxLength: 100 },
  { name: "attendee.lastName", label: "lastName", autoComplete: "family-name", required: true, type: "text", maxLength: 100 },
  { name: "attendee.email", label: "email", autoComplete: "email", required: true, type: "email", maxLength: 254, hint: "emailHint" },
  { name: "attendee.company", label: "company", autoComplete: "organization", required: false, type: "text", maxLength: 200 },
] as const;

const fieldId = (name: string) => `field-${name.replaceAll(".", "-")}`;

export function RegistrationForm({ action, ticketTypes, questions, selectedTicketType, initialValues, notes }: Props) {
  const t = useTranslations("register");
  const tRefusal = useTranslations("refusal");
  const [state, formAction, pending] = useActionState(action, { values: initialValues });
  const statusRef = useRef<HTMLDivElement>(null);
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};

  // After a refused submission, move focus to the message so keyboard and screen-reader users hear it.
  useEffect(() => {
    if (state.reason) statusRef.current?.focus();
  }, [state]);

  const requiredMark = (
    <span className="required" aria-hidden="true">
      {" "}*
    </span>
  );

  return (
    <form action={formAction} className="form" noValidate>
      <div ref={statusRef} tabIndex={-1} role="alert" aria-live="assertive" className={state.reason ? "form-message error" : "form-message"}>
        {state.reason && tRefusal(state.reason)}
      </div>
      <p className="muted">{t("requiredNote")}</p>

      <fieldset aria-describedby={describedBy(errors.ticketType && "error-ticketType")}>
        <legend>
          {t("ticketLegend")}
          {requiredMark}
        </legend>
        {ticketTypes.map((ticket) => (
          <label key={ticket.code} className={ticket.disabled ? "choice disabled" : "choice"}>
            <input
              type="radio"
              name="ticketType"
              value={ticket.code}
              disabled={ticket.disabled}
              defaultChecked={(values.ticketType ?? selectedTicketType) === ticket.code}
              required
            />
            <span className="choice-name">{ticket.name}</span>
            <span className="choice-price">{ticket.price}</span>
            <span className="choice-note">{ticket.availability}</span>
          </label>
        ))}
        <FieldErrors id="error-ticketType" codes={errors.ticketType} />
      </fieldset>

      <fieldset>
        <legend>{t("attendeeLegend")}</legend>
        {ATTENDEE_FIELDS.map((field) => {
          const id = fieldId(field.name);
          const hint = "hint" in field ? field.hint : undefined;
          return (
            <div key={field.name} className="field">
              <label htmlFor={id}>
                {t(field.label)}
                {field.required && requiredMark}
              </label>
              {hint && (
                <p id={`${id}-hint`} className="hint">
                  {t(hint)}
                </p>
              )}
              <input
                id={id}
                name={field.name}
                type={field.type}
                autoComplete={field.autoComplete}
                maxLength={field.maxLength}
                required={field.required}
                aria-required={field.required}
                aria-invalid={Boolean(errors[field.name])}
                aria-describedby={describedBy(hint && `${id}-hint`, errors[field.name] && `${id}-error`)}
                defaultValue={values[field.name] ?? ""}
              />
              <FieldErrors id={`${id}-error`} codes={errors[field.name]} />
            </div>
          );
        })}
      </fieldset>

      {questions.length > 0 && (
        <fieldset>
          <legend>{t("questionsLegend")}</legend>
          {questions.map((question) => (
            <QuestionInput key={question.key} question={question} value={values[`answers.${question.key}`]} errors={errors[`answers.${question.key}`]} requiredMark={requiredMark} />
          ))}
        </fieldset>
      )}

      {notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}

function QuestionInput({ question, value, errors, requiredMark }: { question: QuestionField; value?: string; errors?: string[]; requiredMark: React.ReactNode }) {
  const t = useTranslations("register");
  const name = `answers.${question.key}`;
  const id = fieldId(name);
  const common = {
    id,
    name,
    required: question.required,
    "aria-required": question.required,
    "aria-invalid": Boolean(errors),
    "aria-describedby": describedBy(errors && `${id}-error`),
  };
  const label = (
    <>
      {question.label}
      {question.required && requiredMark}
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
