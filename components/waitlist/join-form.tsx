"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import type { JoinRefusal } from "@/app/[locale]/editions/[slug]/waiting-list/actions";
import { describedBy, FieldErrors } from "../field-errors";
import { FormMessage, RequiredMark, TextField } from "../form-fields";
import { ProofOfWork } from "../proof-of-work";
import { PrivacyNoticeLink } from "../privacy-notice-link";
import { usePublicForm, type PublicFormAction } from "../use-public-form";

export type JoinAction = PublicFormAction<JoinRefusal | "invalid">;

/**
 * The waiting list's join form, on a sold-out edition's page: who, in which language, how many seats, whether fewer
 * will do, and which of the listed types (the sold-out ones ticked). The group rule is said beside the choice.
 */
export function WaitingListJoinForm({
  action,
  ticketTypes,
  maxSeats,
  locale,
  challenge,
}: {
  action: JoinAction;
  /** `ticked`: ticked at first (the sold-out types, or the one whose link was followed). */
  ticketTypes: { code: string; name: string; ticked: boolean }[];
  maxSeats: number;
  locale: string;
  challenge: boolean;
}) {
  const t = useTranslations("waitingListPublic");
  const { state, formAction, pending, values, errors } = usePublicForm(action);
  // Each answer spends the challenge's solution: a new state means a new one to solve.
  const [answered, setAnswered] = useState(state);
  const [attempt, setAttempt] = useState(1);
  if (answered !== state) {
    setAnswered(state);
    setAttempt(attempt + 1);
  }

  if (state.done) {
    const position = state.params?.position ?? 0;
    return (
      <FormMessage
        tone="success"
        message={
          state.done === "offered"
            ? t("joinedOffered")
            : t(state.done === "waitingNotEmailed" ? "joinedNotEmailed" : "joined", { position })
        }
      />
    );
  }
  const message = state.reason && state.reason !== "invalid" ? t(`refusal.${state.reason}`) : undefined;
  const ticked = values.ticketTypes?.split(",");
  const typeErrors = Object.entries(errors).flatMap(([key, codes]) => (key.startsWith("ticketTypes") ? codes : []));
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={message ?? (state.reason === "invalid" ? t("refusal.invalid") : undefined)} />
      <p className="muted">{t("intro")}</p>
      <TextField
        id="waitlist-name"
        name="name"
        label={t("name")}
        type="text"
        autoComplete="name"
        maxLength={200}
        required
        codes={errors.name}
        defaultValue={values.name ?? ""}
      />
      <TextField
        id="waitlist-email"
        name="email"
        label={t("email")}
        hint={t("emailHint")}
        type="email"
        autoComplete="email"
        maxLength={254}
        required
        codes={errors.email}
        defaultValue={values.email ?? ""}
      />
      <div className="field">
        <label htmlFor="waitlist-locale">{t("locale")}</label>
        <select id="waitlist-locale" name="locale" defaultValue={values.locale ?? locale}>
          <option value="fr">Français</option>
          <option value="en">English</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="waitlist-seats">
          {t("seats")}
          <RequiredMark />
        </label>
        <input
          id="waitlist-seats"
          name="seats"
          type="number"
          inputMode="numeric"
          min={1}
          max={maxSeats}
          required
          aria-required
          aria-invalid={Boolean(errors.seats)}
          aria-describedby={describedBy("waitlist-seats-hint", errors.seats && "waitlist-seats-error")}
          defaultValue={values.seats ?? "1"}
        />
        <p id="waitlist-seats-hint" className="hint">
          {t("groupRule", { max: maxSeats })}
        </p>
        <FieldErrors id="waitlist-seats-error" codes={errors.seats} />
      </div>
      <div className="field field-checkbox">
        <input id="waitlist-fewer" name="acceptsFewer" type="checkbox" defaultChecked={values.acceptsFewer === "on"} />
        <label htmlFor="waitlist-fewer">{t("acceptsFewer")}</label>
      </div>
      <fieldset className="field" aria-describedby={describedBy(typeErrors.length > 0 && "waitlist-types-error")}>
        <legend>
          {t("ticketTypes")}
          <RequiredMark />
        </legend>
        {ticketTypes.map((type) => (
          <div key={type.code} className="field field-checkbox">
            <input
              id={`waitlist-type-${type.code}`}
              name="ticketTypes"
              type="checkbox"
              value={type.code}
              defaultChecked={ticked ? ticked.includes(type.code) : type.ticked}
            />
            <label htmlFor={`waitlist-type-${type.code}`}>{type.name}</label>
          </div>
        ))}
        <FieldErrors id="waitlist-types-error" codes={typeErrors.length > 0 ? typeErrors : undefined} />
      </fieldset>
      {challenge && <ProofOfWork attempt={attempt} />}
      <PrivacyNoticeLink />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("joining") : t("join")}
      </button>
    </form>
  );
}
