import "server-only";
import { z } from "zod";
import { fieldErrorsOf } from "@/lib/forms/fields";
import { formValues, type PublicFormState } from "@/lib/forms/form-state";

/**
 * A public server action (no session: registration, the order page, "email me a link"): the form's
 * fields parsed with `schema` (a refusal is `invalid` with the field errors and what was typed), then
 * the handler: the guard or rate limit and one domain call, revalidate or redirect, the form's state.
 * Arguments bound by the page (slug, locale, token) come first, as React passes them.
 */
export function publicAction<Args extends unknown[], T, Reason extends string>(
  schema: z.ZodType<T>,
  handler: (input: T, formData: FormData, ...args: Args) => Promise<PublicFormState<Reason>>,
) {
  type State = PublicFormState<Reason | "invalid">;
  return async (...call: [...Args, State, FormData]): Promise<State> => {
    const formData = call[call.length - 1] as FormData;
    const args = call.slice(0, -2) as Args;
    const values = formValues(formData);
    const parsed = schema.safeParse(values);
    if (!parsed.success) return { reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error), values };
    return handler(parsed.data, formData, ...args);
  };
}

/** The shape of a form whose rules the domain checks itself (so the JSON API shares them): any text fields. */
export const textFields = z.record(z.string(), z.string());
