"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { RegistrationFormState } from "@/lib/orders/registration-form";
import { describedBy, FieldErrors } from "./field-errors";
import { ATTENDEE_FIELDS, AttendeeFields, FormMessage, QuestionInput, RequiredMark, type QuestionField } from "./form-fields";

export type { QuestionField };
export type TicketChoice = { code: string; name: string; price: string; availability: string; disabled: boolean };

type Props = {
  action: (state: RegistrationFormState, formData: FormData) => Promise<RegistrationFormState>;
  ticketTypes: TicketChoice[];
  questions: QuestionField[];
  selectedTicketType?: string;
  /** What the attendee typed before, e.g. when they come back from a cancelled payment. */
  initialValues?: Record<string, string>;
  notes: string[];
};

export function RegistrationForm({ action, ticketTypes, questions, selectedTicketType, initialValues, notes }: Props) {
  const t = useTranslations("register");
  const tRefusal = useTranslations("refusal");
  const [state, formAction, pending] = useActionState(action, { values: initialValues });
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};

  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={state.reason && tRefusal(state.reason)} />
      <p className="muted">{t("requiredNote")}</p>

      <fieldset aria-describedby={describedBy(errors.ticketType && "error-ticketType")}>
        <legend>
          {t("ticketLegend")}
          <RequiredMark />
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
        <AttendeeFields names={ATTENDEE_FIELDS.map((field) => field.name)} values={values} errors={errors} />
      </fieldset>

      {questions.length > 0 && (
        <fieldset>
          <legend>{t("questionsLegend")}</legend>
          {questions.map((question) => (
            <QuestionInput key={question.key} question={question} value={values[`answers.${question.key}`]} errors={errors[`answers.${question.key}`]} />
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
