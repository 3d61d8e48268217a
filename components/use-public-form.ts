"use client";

import { useActionState } from "react";
import type { PublicFormState } from "@/lib/forms/form-state";

export type PublicFormAction<Reason extends string> = (
  state: PublicFormState<Reason>,
  formData: FormData,
) => Promise<PublicFormState<Reason>>;

/** A public form's state: its answer, and what to refill and flag (the typed values and field errors). */
export function usePublicForm<Reason extends string>(
  action: PublicFormAction<Reason>,
  initialValues?: Record<string, string>,
) {
  const [state, formAction, pending] = useActionState(action, initialValues ? { values: initialValues } : {});
  return { state, formAction, pending, values: state.values ?? {}, errors: state.fieldErrors ?? {} };
}
