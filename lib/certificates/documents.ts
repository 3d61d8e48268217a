import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { looksLikeAccessToken } from "@/lib/orders/codes";
import { holderName } from "@/lib/orders/holder";
import { certificateEligibility } from "./eligible";
import { certificateFilename, renderCertificatePdf } from "./pdf";

export type CertificateFile = { filename: string; pdf: Buffer };

/** Which ticket a download asks for: by the holder's link, by the buyer's link and position, or in the back office. */
export type CertificateOf =
  { ticketToken: string } | { orderToken: string; position: number } | { editionId: string; ticketId: string };

// A link's token is checked for shape first, as the pages do (lib/orders/queries.ts): garbage never reaches a query.
function ticketWhere(of: CertificateOf): Prisma.TicketWhereInput | null {
  if ("ticketToken" in of) return looksLikeAccessToken(of.ticketToken) ? { accessToken: of.ticketToken } : null;
  if ("orderToken" in of) {
    return looksLikeAccessToken(of.orderToken)
      ? { order: { accessToken: of.orderToken }, position: of.position }
      : null;
  }
  return { id: of.ticketId, editionId: of.editionId };
}

/**
 * The certificate of a ticket, rendered now from its rows, or null when there is none to give: no such ticket and a
 * ticket not eligible answer alike, so a link tells nobody who came. In `locale`, else the attendee's language.
 */
export async function certificateFile(
  db: Db,
  of: CertificateOf,
  now: Date,
  locale?: Locale,
): Promise<CertificateFile | null> {
  const where = ticketWhere(of);
  if (!where) return null;
  const ticket = await db.ticket.findFirst({
    where,
    include: {
      order: { select: { status: true, reference: true, locale: true } },
      edition: { include: { certificateSettings: true } },
    },
  });
  if (!ticket) return null;
  const { edition, order } = ticket;
  const settings = edition.certificateSettings;
  const holder = holderName(ticket);
  if (certificateEligibility(ticket, order, edition, settings, now) !== "eligible") return null;
  // Eligible means all of these are set; this says so to the types.
  if (!settings?.minutes || !settings.signatoryName || !settings.signature || holder === null) return null;
  const language = locale ?? ticket.locale ?? order.locale;
  const reference = `${order.reference}-${ticket.position}`;
  const pdf = await renderCertificatePdf(
    {
      holder,
      company: ticket.company,
      editionName: localized(edition, "name", language),
      startsAt: edition.startsAt,
      endsAt: edition.endsAt,
      timeZone: edition.timeZone,
      venueName: edition.venueName,
      venueAddress: edition.venueAddress,
      minutes: settings.minutes,
      reference,
      organiser: await loadOrganiserProfile(db),
      signatoryName: settings.signatoryName,
      signatoryTitle: settings.signatoryTitle,
      signature: settings.signature,
    },
    language,
  );
  return { filename: certificateFilename(reference, language), pdf };
}

/**
 * A certificate as the edition's attendees will get it, for its organisers to check before the end: the settings as
 * saved, a made-up attendee and reference. Null until a duration, a signatory and a signature are saved.
 */
export async function sampleCertificateFile(
  db: Db,
  editionId: string,
  locale: Locale,
): Promise<CertificateFile | null> {
  const edition = await db.edition.findUnique({ where: { id: editionId }, include: { certificateSettings: true } });
  const settings = edition?.certificateSettings;
  if (!edition || !settings?.minutes || !settings.signatoryName || !settings.signature) return null;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "certificates.sample" });
  const pdf = await renderCertificatePdf(
    {
      holder: t("holder"),
      company: t("company"),
      editionName: localized(edition, "name", locale),
      startsAt: edition.startsAt,
      endsAt: edition.endsAt,
      timeZone: edition.timeZone,
      venueName: edition.venueName,
      venueAddress: edition.venueAddress,
      minutes: settings.minutes,
      reference: t("reference"),
      organiser: await loadOrganiserProfile(db),
      signatoryName: settings.signatoryName,
      signatoryTitle: settings.signatoryTitle,
      signature: settings.signature,
    },
    locale,
  );
  return { filename: `${edition.slug}-${certificateFilename(t("reference"), locale)}`, pdf };
}
