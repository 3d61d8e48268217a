import { z } from "zod";
import type { PublicFormState } from "@/lib/forms/form-state";

export type EmailLinkRefusal = "invalid_email" | "rate_limited";

/** "Email me a link" forms: one field, whose rules (a valid address) the domain checks. */
export const emailLinkFields = z.object({ email: z.string().default("") });

/** The form's answer: the same "sent if known" for any address, so the form never says which are registered. */
export function emailLinkState(
  outcome: "sent_if_known" | EmailLinkRefusal,
  email: string,
): PublicFormState<EmailLinkRefusal> {
  const values = { email };
  return outcome === "sent_if_known" ? { done: outcome, values } : { reason: outcome, values };
}
