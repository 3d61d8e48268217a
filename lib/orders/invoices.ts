import type { Db } from "@/lib/db/prisma";
import { invoiceCii } from "@/lib/invoices/cii";
import type { InvoiceDocument } from "@/lib/invoices/document";
import { renderInvoicePdf } from "@/lib/invoices/pdf";
import { storedInvoiceDocument } from "@/lib/invoices/stored-document";

/** An order's invoices and credit notes, oldest first, as its pages list them. */
export function orderInvoices(db: Db, orderId: string) {
  return db.invoice.findMany({
    where: { orderId },
    orderBy: [{ year: "asc" }, { sequence: "asc" }],
    select: { id: true, kind: true, number: true, issuedAt: true, includingVatCents: true, currency: true },
  });
}

export type InvoiceFormat = "pdf" | "xml";

/**
 * One of an order's documents as a file: its Factur-X PDF (the XML inside), or the EN 16931 XML alone for
 * software that reads only that. Rendered from the document as issued; null if the order has no such number.
 */
export async function orderInvoiceFile(db: Db, orderId: string, number: string, format: InvoiceFormat) {
  const row = await db.invoice.findFirst({ where: { orderId, number }, select: { document: true } });
  if (!row) return null;
  const document: InvoiceDocument = storedInvoiceDocument(row.document);
  return format === "xml"
    ? { filename: `${document.number}.xml`, contentType: "application/xml", body: invoiceCii(document) }
    : {
        filename: `${document.number}.pdf`,
        contentType: "application/pdf",
        body: new Uint8Array(await renderInvoicePdf(document)),
      };
}

export const invoiceFormatOf = (value: string | null): InvoiceFormat => (value === "xml" ? "xml" : "pdf");
