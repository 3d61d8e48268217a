import PDFDocument from "pdfkit";
import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { qrPng } from "./issue";
import { writeText } from "@/lib/pdf/fonts";

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

/** One A6 page per ticket: who, what, when, where, and the signed QR code. */
export async function renderTicketsPdf(tickets: PdfTicket[], locale: "fr" | "en"): Promise<Buffer> {
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "ticketPdf" });
  const doc = new PDFDocument({
    size: "A6",
    margin: 24,
    autoFirstPage: false,
    info: { Title: t("title"), Producer: "Guichet" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  for (const ticket of tickets) {
    doc.addPage();
    const width = doc.page.width - 48;
    const when = t("line", { label: t("when"), value: ticket.when });
    const where = t("line", { label: t("where"), value: ticket.where });
    const type = t("line", { label: t("type"), value: ticket.ticketType });
    writeText(doc.fontSize(15), ticket.editionName, { bold: true, width });
    writeText(doc.moveDown(0.3).fontSize(9).fillColor("#444"), when, { width });
    writeText(doc, where, { width });
    doc.moveDown(0.6).fillColor("#000");
    writeText(doc.fontSize(13), ticket.holder, { bold: true, width });
    if (ticket.company) writeText(doc.fontSize(10), ticket.company, { width });
    writeText(doc.fontSize(10), type, { width });
    const size = 150;
    doc.image(await qrPng(ticket.code, 450), (doc.page.width - size) / 2, doc.y + 8, { width: size, height: size });
    doc.y += size + 16;
    const footer = `${t("reference")} ${ticket.reference} · ${t("note")}`;
    writeText(doc.fontSize(8).fillColor("#444"), footer, { x: 24, y: doc.y, width, align: "center" });
  }
  doc.end();
  return done;
}
