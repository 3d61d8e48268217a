import { Prisma } from "@/lib/generated/prisma/client";
import { confirmedSeat } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { holderName } from "@/lib/orders/holder";
import { recordStanding } from "@/lib/tickets/standing";

/**
 * Why a ticket has, or has not, a certificate of attendance: the one rule every download route, page link
 * and email asks. Only someone who came gets one, so every refusal is answered as "not found".
 */
export type CertificateEligibility = "eligible" | "disabled" | "not_ended" | "not_valid" | "unnamed" | "not_checked_in";

/** What the rule reads of CertificateSettings: the signature's type stands for the image (a CHECK sets both). */
export type CertificateSettingsRow = {
  enabled: boolean;
  minutes: number | null;
  signatoryName: string | null;
  signatureType: string | null;
};

type EligibleTicket = { status: string; firstName: string | null; lastName: string | null; checkedInAt: Date | null };

/** An edition's settings as the rule reads them, without the image's bytes (the pages ask it for every view). */
export function certificateRuleSettings(db: Db, editionId: string): Promise<CertificateSettingsRow | null> {
  return db.certificateSettings.findUnique({
    where: { editionId },
    select: { enabled: true, minutes: true, signatoryName: true, signatureType: true },
  });
}

/** Enabled with everything the PDF prints (the table's CHECK says the same; a row read whole is trusted no further). */
export function certificatesEnabled(settings: CertificateSettingsRow | null): boolean {
  return Boolean(
    settings?.enabled &&
    settings.minutes !== null &&
    settings.signatoryName !== null &&
    settings.signatureType !== null,
  );
}

export function certificateEligibility(
  ticket: EligibleTicket,
  order: { status: string },
  edition: { endsAt: Date },
  settings: CertificateSettingsRow | null,
  now: Date,
): CertificateEligibility {
  if (!certificatesEnabled(settings)) return "disabled";
  if (now < edition.endsAt) return "not_ended";
  if (recordStanding(ticket, order) !== "valid") return "not_valid";
  if (holderName(ticket) === null) return "unnamed";
  return ticket.checkedInAt === null ? "not_checked_in" : "eligible";
}

/**
 * The ticket part of the rule for a ticket `t` of order `o`, in SQL, for lists and counts (who gets the "send them
 * all" email): the edition part, enabled and ended, is asked once by the caller. A named ticket has all of its name
 * and email set (a CHECK on Ticket), so its email stands for the name.
 */
export const certificateEligibleSql = Prisma.sql`${confirmedSeat}
  AND t."checkedInAt" IS NOT NULL AND t.email IS NOT NULL`;
