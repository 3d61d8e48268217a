import type { Page } from "@playwright/test";

type Labels = { firstName: string; lastName: string; email: string; company: string; coc: RegExp; submit: string };

export const LABELS: Record<"fr" | "en", Labels> = {
  fr: {
    firstName: "Prénom",
    lastName: "Nom",
    email: "E-mail",
    company: "Entreprise ou organisation (facultatif)",
    coc: /code de conduite/,
    submit: "S’inscrire",
  },
  en: {
    firstName: "First name",
    lastName: "Last name",
    email: "Email",
    company: "Company or organisation (optional)",
    coc: /code of conduct/,
    submit: "Register",
  },
};

/** Fills the attendee part of the registration form by its visible labels, as a person would. */
export async function fillAttendee(
  page: Page,
  locale: "fr" | "en",
  attendee: { firstName: string; lastName: string; email: string; company?: string },
) {
  const labels = LABELS[locale];
  const field = (name: string) => page.getByRole("textbox", { name, exact: true });
  await field(labels.firstName).fill(attendee.firstName);
  await field(labels.lastName).fill(attendee.lastName);
  await field(labels.email).fill(attendee.email);
  if (attendee.company) await field(labels.company).fill(attendee.company);
}
