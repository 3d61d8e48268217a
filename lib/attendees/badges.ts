import type { KeyObject } from "node:crypto";
import { once } from "node:events";
import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { streamAttendees, type AttendeeFilter } from "./query";
import type { Db } from "@/lib/db/prisma";
import { localized } from "@/lib/i18n/format";
import { localeOr, type Locale } from "@/lib/i18n/locales";
import { holderName } from "@/lib/orders/holder";
import { signTicketCode } from "@/lib/tickets/codes";
import { qrPng } from "@/lib/tickets/issue";
import { writeText } from "@/lib/pdf/fonts";

export type Badge = { name: string; company: string | null; ticketType: string; editionName: string; code: string };

export const BADGE_LAYOUTS = ["a6", "labels"] as const;
export type BadgeLayout = (typeof BADGE_LAYOUTS)[number];

const MM = 72 / 25.4;

/**
 * The badges of an edition's confirmed, active tickets matching `filter`. A badge is worn by its
 * attendee: the edition and ticket type are printed in the language they registered in.
 */
export async function* attendeeBadges(
  db: Db,
  privateKey: KeyObject,
  edition: { id: string; nameFr: string; nameEn: string },
  filter: AttendeeFilter,
  fallback: Locale,
): AsyncGenerator<Badge> {
  for await (const row of streamAttendees(db, edition.id, { ...filter, status: "confirmed" }, { locale: fallback })) {
    const name = holderName(row);
    // Nobody wears an unnamed ticket's badge yet: it is printed once the buyer names its attendee.
    if (name === null) continue;
    const locale = localeOr(row.order.locale, fallback);
    yield {
      name,
      company: row.company,
      ticketType: localized(row.ticketType, "name", locale),
      editionName: localized(edition, "name", locale),
      code: signTicketCode({ ticketId: row.id, editionId: row.editionId, codeVersion: row.codeVersion }, privateKey),
    };
  }
}

// A6: one badge per page, for badge holders. Labels: A4 sheets of 2 × 4 labels (105 × 74 mm,
// the common "8 per sheet" stock), badges filled row by row.
const LAYOUTS = {
  a6: { page: "A6" as const, columns: 1, rows: 1, width: 105 * MM, height: 148 * MM },
  labels: { page: "A4" as const, columns: 2, rows: 4, width: 105 * MM, height: (297 * MM) / 4 },
};

function drawBadge(
  doc: PDFKit.PDFDocument,
  badge: Badge,
  qr: Buffer,
  x: number,
  y: number,
  width: number,
  height: number,
) {
  const pad = 6 * MM;
  const inner = width - 2 * pad;
  const qrSize = Math.min(height * 0.45, inner * 0.5);
  writeText(doc.fontSize(8).fillColor("#555"), badge.editionName, {
    x: x + pad,
    y: y + pad,
    width: inner,
    lineBreak: false,
    ellipsis: true,
  });
  // The QR code sits at the bottom right, below the name: the name and company take the full width.
  const tall = height > 100 * MM;
  const nameSize = tall ? 24 : 16;
  const nameBox = { width: inner, height: nameSize * (tall ? 3.7 : 2.5), ellipsis: true };
  writeText(doc.fontSize(nameSize).fillColor("#000"), badge.name, {
    x: x + pad,
    y: y + pad + 12,
    bold: true,
    ...nameBox,
  });
  if (badge.company)
    writeText(doc.fontSize(nameSize * 0.55), badge.company, { width: inner, height: nameSize * 0.7, ellipsis: true });
  const typeBox = { width: inner - qrSize - 4, lineBreak: false, ellipsis: true };
  writeText(doc.fontSize(9).fillColor("#0b5cad"), badge.ticketType, {
    x: x + pad,
    y: y + height - pad - 10,
    bold: true,
    ...typeBox,
  });
  doc.image(qr, x + width - pad - qrSize, y + height - pad - qrSize, { width: qrSize, height: qrSize });
}

/**
 * A PDF of name badges with each attendee's signed QR code, streamed page by page as the badges
 * are drawn, as fast as it is read.
 */
export function badgesPdf(
  badges: AsyncIterable<Badge>,
  layout: BadgeLayout,
  title: string,
): ReadableStream<Uint8Array> {
  const spec = LAYOUTS[layout];
  const doc = new PDFDocument({
    size: spec.page,
    margin: 0,
    autoFirstPage: false,
    info: { Title: title, Producer: "Guichet" },
  });
  void (async () => {
    try {
      let slot = 0;
      const perPage = spec.columns * spec.rows;
      for await (const badge of badges) {
        // Drawn only as fast as the download is read: a paused reader with a full buffer stops the drawing (and
        // the rows' cursor behind it) until it reads on, so an edition's badges take one buffer of memory.
        if (doc.isPaused() && doc.readableLength >= doc.readableHighWaterMark) {
          await Promise.race([once(doc, "resume"), once(doc, "close")]);
          if (doc.destroyed) return;
        }
        if (slot % perPage === 0) doc.addPage();
        const position = slot % perPage;
        const x = (position % spec.columns) * spec.width;
        const y = Math.floor(position / spec.columns) * spec.height;
        drawBadge(doc, badge, await qrPng(badge.code, 360), x, y, spec.width, spec.height);
        slot += 1;
      }
      if (slot === 0) doc.addPage();
      doc.end();
    } catch (error) {
      doc.destroy(error as Error);
    }
  })();
  return Readable.toWeb(doc as unknown as Readable) as ReadableStream<Uint8Array>;
}
