import type { Prisma } from "@/lib/generated/prisma/client";
import type { InvoiceDocument } from "./document";

/** The document as the Invoice row's jsonb keeps it: dates become ISO strings. */
export function invoiceDocumentJson(document: InvoiceDocument): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(document)) as Prisma.InputJsonValue;
}

const date = (value: unknown) => new Date(value as string);
const dateOrNull = (value: unknown) => (value === null ? null : date(value));

/** An Invoice row's document as it was issued, its dates Dates again: what every PDF, XML and export reads. */
export function storedInvoiceDocument(json: Prisma.JsonValue): InvoiceDocument {
  const stored = json as unknown as InvoiceDocument;
  return {
    ...stored,
    issuedAt: date(stored.issuedAt),
    corrects: stored.corrects && { ...stored.corrects, issuedAt: date(stored.corrects.issuedAt) },
    event: { ...stored.event, startsAt: date(stored.event.startsAt), endsAt: date(stored.event.endsAt) },
    payment: { ...stored.payment, dueAt: dateOrNull(stored.payment.dueAt), paidAt: dateOrNull(stored.payment.paidAt) },
  };
}
