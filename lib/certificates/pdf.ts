import PDFDocument from "pdfkit";
import { createTranslator } from "next-intl";
import type { Locale } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { writeText } from "@/lib/pdf/fonts";

/** The organiser as the invoices print it (OrganiserProfile); null prints the edition's name instead. */
export type CertificateOrganiser = {
  legalName: string;
  addressLines: string[];
  postcode: string;
  city: string;
  siret: string;
};

/** Everything a certificate prints, read from the rows: nothing is stored, the same file comes back each time. */
export type CertificateData = {
  holder: string;
  company: string | null;
  editionName: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venueName: string;
  venueAddress: string;
  minutes: number;
  reference: string;
  organiser: CertificateOrganiser | null;
  signatoryName: string;
  signatoryTitle: string | null;
  signature: Uint8Array;
};

const translator = (locale: Locale) =>
  createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "certificates.pdf" });

/** "7 h 30", "8 h", "45 min". */
export function formatDuration(minutes: number, locale: Locale): string {
  const t = translator(locale);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t("minutes", { minutes: rest });
  return rest === 0 ? t("hours", { hours }) : t("hoursMinutes", { hours, minutes: String(rest).padStart(2, "0") });
}

// A certificate attests days, not hours (the duration says how long): "20–21 mai 2027" in the edition's zone.
const days = (start: Date, end: Date, timeZone: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).formatRange(start, end);

export function certificateFilename(reference: string, locale: Locale): string {
  return translator(locale)("filename", { reference });
}

const MARGIN = 56;
const GREY = "#555555";
const INK = "#111111";

/**
 * One A4 landscape page: the organiser (legal name, address, SIRET), the title, who attended what, when, where and
 * for how long, the reference, the date of issue (the edition's last day, so every download is the same document)
 * and the signature with the signatory's name and title.
 */
export function renderCertificatePdf(data: CertificateData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: MARGIN,
    info: { Title: `${t("title")} ${data.reference}`, Producer: "Guichet" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;
  const centred = { width, align: "center" as const };
  const organiserName = data.organiser?.legalName ?? data.editionName;

  doc
    .rect(MARGIN / 2, MARGIN / 2, doc.page.width - MARGIN, doc.page.height - MARGIN)
    .lineWidth(1.5)
    .stroke("#1f3a5f");
  writeText(doc.fontSize(11).fillColor(INK), organiserName, { x: MARGIN, y: MARGIN, bold: true, width });
  if (data.organiser) {
    const { addressLines, postcode, city, siret } = data.organiser;
    for (const line of [...addressLines, `${postcode} ${city}`, t("siret", { siret })]) {
      writeText(doc.fontSize(9).fillColor(GREY), line, { width });
    }
  }

  writeText(doc.fontSize(30).fillColor("#1f3a5f"), t("title"), { x: MARGIN, y: 150, bold: true, ...centred });
  writeText(doc.moveDown(0.8).fontSize(13).fillColor(INK), t("certifies", { organiser: organiserName }), centred);
  writeText(doc.moveDown(0.5).fontSize(24), data.holder, { bold: true, ...centred });
  if (data.company) writeText(doc.fontSize(13).fillColor(GREY), data.company, centred);
  writeText(doc.moveDown(0.5).fontSize(13).fillColor(INK), t("attended"), centred);
  writeText(doc.moveDown(0.3).fontSize(18), data.editionName, { bold: true, ...centred });
  doc.moveDown(0.6).fontSize(11).fillColor(INK);
  writeText(doc, t("dates", { dates: days(data.startsAt, data.endsAt, data.timeZone, locale) }), centred);
  writeText(doc, t("venue", { venue: `${data.venueName}, ${data.venueAddress}` }), centred);
  writeText(doc, t("duration", { duration: formatDuration(data.minutes, locale) }), centred);

  const bottom = doc.page.height - MARGIN;
  const issued = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: data.timeZone }).format(data.endsAt);
  writeText(doc.fontSize(11).fillColor(INK), t("issued", { date: issued }), { x: MARGIN, y: bottom - 70 });
  writeText(doc.fontSize(9).fillColor(GREY), t("reference", { reference: data.reference }), {
    x: MARGIN,
    y: bottom - 52,
  });

  const column = 220;
  const left = doc.page.width - MARGIN - column;
  doc.image(Buffer.from(data.signature), left, bottom - 140, { fit: [column, 80], align: "center", valign: "bottom" });
  writeText(doc.fontSize(11).fillColor(INK), data.signatoryName, {
    x: left,
    y: bottom - 52,
    bold: true,
    width: column,
    align: "center",
  });
  if (data.signatoryTitle) {
    writeText(doc.fontSize(9).fillColor(GREY), data.signatoryTitle, { width: column, align: "center" });
  }
  doc.end();
  return done;
}
