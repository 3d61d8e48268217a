import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { qrPng } from "./issue";
import { pdfText } from "./pdf";

export type Badge = { name: string; company: string | null; ticketType: string; editionName: string; code: string };

export const BADGE_LAYOUTS = ["a6", "labels"] as const;
export type BadgeLayout = (typeof BADGE_LAYOUTS)[number];

const MM = 72 / 25.4;

// A6: one badge per page, for badge holders. Labels: A4 sheets of 2 × 4 labels (105 × 74 mm,
// the common "8 per sheet" stock), badges filled row by row.
const LAYOUTS = {
  a6: { page: "A6" as const, columns: 1, rows: 1, width: 105 * MM, height: 148 * MM },
  labels: { page: "A4" as const, columns: 2, rows: 4, width: 105 * MM, height: 297 * MM / 4 },
};

function drawBadge(doc: PDFKit.PDFDocument, badge: Badge, qr: Buffer, x: number, y: number, width: number, height: number) {
  const pad = 6 * MM;
  const inner = width - 2 * pad;
  const qrSize = Math.min(height * 0.45, inner * 0.5);
  doc.font("Helvetica").fontSize(8).fillColor("#555").text(pdfText(badge.editionName), x + pad, y + pad, { width: inner, lineBreak: false, ellipsis: true });
  // The QR code sits at the bottom right, below the name: the name and company take the full width.
  const tall = height > 100 * MM;
  const nameSize = tall ? 24 : 16;
  doc.font("Helvetica-Bold").fontSize(nameSize).fillColor("#000").text(pdfText(badge.name), x + pad, y + pad + 12, { width: inner, height: nameSize * (tall ? 3.7 : 2.5), ellipsis: true });
  if (badge.company) doc.font("Helvetica").fontSize(nameSize * 0.55).text(pdfText(badge.company), { width: inner, height: nameSize * 0.7, ellipsis: true });
  doc.font("Helvetica-Bold").fontSize(9).fillColor("#0b5cad").text(pdfText(badge.ticketType), x + pad, y + height - pad - 10, { width: inner - qrSize - 4, lineBreak: false, ellipsis: true });
  doc.image(qr, x + width - pad - qrSize, y + height - pad - qrSize, { width: qrSize, height: qrSize });
}

/**
 * A PDF of name badges with each attendee's signed QR code, streamed page by page as the badges
 * are drawn.
 */
export function badgesPdf(badges: AsyncIterable<Badge>, layout: BadgeLayout, title: string): ReadableStream<Uint8Array> {
  const spec = LAYOUTS[layout];
  const doc = new PDFDocument({ size: spec.page, margin: 0, autoFirstPage: false, info: { Title: title, Producer: "Guichet" } });
  void (async () => {
    try {
      let slot = 0;
      const perPage = spec.columns * spec.rows;
      for await (const badge of badges) {
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
