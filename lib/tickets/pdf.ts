import PDFDocument from "pdfkit";
import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json";
import fr from "@/lib/i18n/messages/fr.json";
import { qrPng } from "./issue";

export type PdfTicket = {
  code: string;
  holder: string;
  company: string | null;
  ticketType: string;
  editionName: string;
  when: string;
  where: string;
  reference: string;
};

// PDF's standard fonts speak WinAnsi: the narrow and plain no-break spaces of Intl's output are
// outside it, so they become ordinary spaces.
export const pdfText = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

/** One A6 page per ticket: who, what, when, where, and the signed QR code. */
export async function renderTicketsPdf(tickets: PdfTicket[], locale: "fr" | "en"): Promise<Buffer> {
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "ticketPdf" });
  const doc = new PDFDocument({ size: "A6", margin: 24, autoFirstPage: false, info: { Title: t("title"), Producer: "Guichet" } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  for (const ticket of tickets) {
    doc.addPage();
    const width = doc.page.width - 48;
    doc.font("Helvetica-Bold").fontSize(15).text(pdfText(ticket.editionName), { width });
    doc.moveDown(0.3).font("Helvetica").fontSize(9).fillColor("#444").text(pdfText(t("line", { label: t("when"), value: ticket.when })), { width });
    doc.text(pdfText(t("line", { label: t("where"), value: ticket.where })), { width });
    doc.moveDown(0.6).fillColor("#000").font("Helvetica-Bold").fontSize(13).text(pdfText(ticket.holder), { width });
    if (ticket.company) doc.font("Helvetica").fontSize(10).text(pdfText(ticket.company), { width });
    doc.font("Helvetica").fontSize(10).text(pdfText(t("line", { label: t("type"), value: ticket.ticketType })), { width });
    const size = 150;
    doc.image(await qrPng(ticket.code, 450), (doc.page.width - size) / 2, doc.y + 8, { width: size, height: size });
    doc.y += size + 16;
    doc.fontSize(8).fillColor("#444").text(pdfText(`${t("reference")} ${ticket.reference} · ${t("note")}`), 24, doc.y, { width, align: "center" });
  }
  doc.end();
  return done;
}
