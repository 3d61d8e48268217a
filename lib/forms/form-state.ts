// What a back-office form action answers; the form shows `message` (a key of the "adminForm"
// catalogue) and the field errors, and refills the fields from `values` after a refusal.
export type FormState =
  | { status: "idle" }
  | {
      status: "saved";
      message: string;
      params?: Record<string, string | number>;
      secret?: string;
      secretQr?: string;
      /** The lines of an imported file that were left out, each with why (a key of the form's catalogue). */
      skippedLines?: { line: number; reason: string }[];
      /** An email drawn from a draft that was not saved: its subject and its HTML, shown in a sandboxed frame. */
      preview?: { subject: string; html: string };
    }
  | {
      status: "error";
      message: string;
      params?: Record<string, string | number>;
      fieldErrors?: Record<string, string[]>;
      values?: Record<string, string>;
      /** Where the refusal is put right (a path the app emits), shown after the message; `label` a message key. */
      link?: { href: string; label: string };
    };

export const IDLE: FormState = { status: "idle" };

export function saved(
  message: string,
  extra: {
    params?: Record<string, string | number>;
    secret?: string;
    secretQr?: string;
    skippedLines?: { line: number; reason: string }[];
    preview?: { subject: string; html: string };
  } = {},
): FormState {
  return { status: "saved", message, ...extra };
}

export function refused(
  message: string,
  extra: {
    params?: Record<string, string | number>;
    fieldErrors?: Record<string, string[]>;
    values?: Record<string, string>;
  } = {},
): FormState {
  return { status: "error", message, ...extra };
}

type DomainRefusal = { ok: false; reason: string; fieldErrors?: Record<string, string[]>; taken?: number };

/**
 * The form's answer to a domain result: the saved message, or the refusal with the typed values
 * (minus secrets) so nothing the organiser typed is lost.
 */
export function answerOf(result: { ok: true } | DomainRefusal, formData: FormData, savedMessage: string): FormState {
  if (result.ok) return saved(savedMessage);
  const values = formValues(formData, { omit: ["password"] });
  const params = result.taken === undefined ? undefined : { taken: result.taken };
  return refused(result.reason, { fieldErrors: result.fieldErrors, values, params });
}

/** A form's fields as plain strings (without React's action bookkeeping), to validate or give back. */
export function formValues(formData: FormData, { omit = [] }: { omit?: string[] } = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !key.startsWith("$ACTION") && !omit.includes(key)) values[key] = value;
  }
  return values;
}

/**
 * What a public form answers (registration, the order page's forms, "email me a link"): why nothing
 * was done (`reason`, a key of the form's refusal catalogue) with the field errors, or what was done
 * (`done`: a message key or its subject, such as the colleague a ticket went to), and what was typed.
 */
export type PublicFormState<Reason extends string = string> = {
  reason?: Reason;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
  done?: string;
  /** Numbers the refusal's message names, such as the seats left when a group is too large. */
  params?: Record<string, number>;
  /** Which case of a refusal that has several, e.g. why a waiting-list offer could not be used (offer_unavailable). */
  detail?: string;
  /** The new address, when the details saved moved the ticket to it (the page's link is then void). */
  emailChangedTo?: string;
};
