"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import type { JoinAgainRefusal } from "@/app/[locale]/waiting-list/[token]/actions";
import { FormMessage } from "../form-fields";
import { ProofOfWork } from "../proof-of-work";
import { usePublicForm, type PublicFormAction } from "../use-public-form";

/**
 * "Join the waiting list again" on a lapsed or declined entry's page: one button (and the challenge, when on), since
 * the answers are the closed entry's. Success leaves for the new entry's page; a refusal is said here.
 */
export function JoinAgainForm({
  action,
  challenge,
}: {
  action: PublicFormAction<JoinAgainRefusal>;
  challenge: boolean;
}) {
  const t = useTranslations("waitingListClock");
  const { state, formAction, pending } = usePublicForm(action);
  // Each answer spends the challenge's solution: a new state means a new one to solve.
  const [answered, setAnswered] = useState(state);
  const [attempt, setAttempt] = useState(1);
  if (answered !== state) {
    setAnswered(state);
    setAttempt(attempt + 1);
  }
  return (
    <form action={formAction} className="form" noValidate>
      <FormMessage message={state.reason ? t(`refusal.${state.reason}`) : undefined} />
      <p className="muted">{t("joinAgainHint")}</p>
      {challenge && <ProofOfWork attempt={attempt} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("joiningAgain") : t("joinAgain")}
      </button>
    </form>
  );
}
