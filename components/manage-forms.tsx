"use client";

import { useTranslations } from "next-intl";
import type { ManageRefusal } from "@/lib/web/self-service-forms";
import { AttendeeFields, FormMessage, QuestionInput, type QuestionField } from "./form-fields";
import { PrivacyNoticeLink } from "./privacy-notice-link";
import { usePublicForm, type PublicFormAction } from "./use-public-form";

type Action = PublicFormAction<ManageRefusal>;

export function AttendeeDetailsForm({
  action,
  initialValues,
  questions,
}: {
  action: Action;
  initialValues: Record<string, string>;
  questions: QuestionField[];
}) {
  const t = useTranslations("manage");
  const tRefusal = useTranslations("refusal");
  const tEdges = useTranslations("attendeeEdges");
  const { state, formAction, pending, values, errors } = usePublicForm(action, initialValues);
  // The link of this page no longer works: nothing more can be saved from it.
  if (state.emailChangedTo) {
    return <FormMessage message={tEdges("emailChangedSaved", { email: state.emailChangedTo })} tone="success" />;
  }
  const refusal = state.reason === "rate_limited" ? tEdges("rateLimited") : state.reason && tRefusal(state.reason);
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage
        message={refusal || (state.done ? t("saved") : undefined)}
        tone={state.reason ? "error" : "success"}
      />
      <AttendeeFields
        names={["attendee.firstName", "attendee.lastName", "attendee.email", "attendee.company"]}
        values={values}
        errors={errors}
        idPrefix="details"
        hints={{ "attendee.email": tEdges("emailHint") }}
      />
      {questions.map((question) => (
        <QuestionInput
          key={question.key}
          question={question}
          value={values[`answers.${question.key}`]}
          errors={errors[`answers.${question.key}`]}
          idPrefix="details"
        />
      ))}
      <PrivacyNoticeLink />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("saving") : t("save")}
      </button>
    </form>
  );
}

/** The buyer names (or renames) the attendee of one ticket of their group. */
export function NameTicketForm({ action, idPrefix }: { action: Action; idPrefix: string }) {
  const t = useTranslations("groupTicket");
  const tManage = useTranslations("manage");
  const tRefusal = useTranslations("refusal");
  const { state, formAction, pending, values, errors } = usePublicForm(action);
  const tEdges = useTranslations("attendeeEdges");
  if (state.done) return <FormMessage message={t("namedDone", { email: state.done })} tone="success" />;
  const refusal = state.reason === "rate_limited" ? tEdges("rateLimited") : state.reason && tRefusal(state.reason);
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={refusal} />
      <AttendeeFields
        names={["attendee.firstName", "attendee.lastName", "attendee.email", "attendee.company"]}
        values={values}
        errors={errors}
        idPrefix={idPrefix}
      />
      <PrivacyNoticeLink />
      <button type="submit" className="button" disabled={pending}>
        {pending ? tManage("saving") : t("nameSubmit")}
      </button>
    </form>
  );
}

export function TransferForm({ action }: { action: Action }) {
  const t = useTranslations("manage");
  const tRefusal = useTranslations("refusal");
  const { state, formAction, pending, values, errors } = usePublicForm(action);
  if (state.done) return <FormMessage message={t("transferred", { email: state.done })} tone="success" />;
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={state.reason && tRefusal(state.reason)} />
      <AttendeeFields
        names={["attendee.firstName", "attendee.lastName", "attendee.email", "attendee.company"]}
        values={values}
        errors={errors}
        idPrefix="transfer"
      />
      <PrivacyNoticeLink />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("transferring") : t("transfer")}
      </button>
    </form>
  );
}
