import type { OrganiserProfile } from "@/lib/generated/prisma/client";

/** Who the privacy notice names as responsible for attendees' data, and where to write to them. */
export type PrivacyController = {
  name: string;
  /** Postal lines, then the country's code; null when only the sender of the emails is known. */
  address: { lines: string[]; country: string } | null;
  email: string | null;
};

/**
 * The organiser's legal identity once an admin has filled it (the one printed on invoices); before that, the name and
 * address the app's emails come from (MAIL_FROM), since replies to them reach the organisers.
 */
export function privacyController(
  profile: Pick<OrganiserProfile, "legalName" | "addressLines" | "postcode" | "city" | "country" | "email"> | null,
  mailFrom: string,
  appName: string,
): PrivacyController {
  if (profile) {
    return {
      name: profile.legalName,
      address: { lines: [...profile.addressLines, `${profile.postcode} ${profile.city}`], country: profile.country },
      email: profile.email,
    };
  }
  const sender = /^\s*"?([^"<]*?)"?\s*<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$/.exec(mailFrom);
  const bare = /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(mailFrom);
  return { name: sender?.[1] || appName, address: null, email: sender?.[2] ?? bare?.[1] ?? null };
}
