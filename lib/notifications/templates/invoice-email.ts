import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { formatMoney } from "@/lib/i18n/format";
import type { InvoiceDocument } from "@/lib/invoices/document";
import { escape } from "./escape";
import type { EmailText } from "./order-confirmation";

/** The email that carries an invoice or a credit note (the PDF is attached by the renderer), in its language. */
export function renderInvoiceEmail(document: InvoiceDocument): EmailText {
  const { locale } = document;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "invoicePdf.email" });
  const kind = document.kind === "invoice" ? "invoice" : "credit_note";
  const values = {
    number: document.number,
    edition: document.event.name,
    reference: document.orderReference,
    amount: formatMoney(document.totals.includingVatCents, document.currency, locale),
    date: new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: document.event.timeZone }).format(
      document.payment.paidAt ?? document.issuedAt,
    ),
    invoice: document.corrects?.number ?? "",
  };
  const subject = t(`subject_${kind}`, values);
  const paragraphs = [t(`body_${kind}`, values), t("xml"), t("footer")];
  return {
    subject,
    text: paragraphs.join("\n\n"),
    html: `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1b1f24">
${paragraphs.map((paragraph) => `<p>${escape(paragraph)}</p>`).join("\n")}
</body></html>`,
  };
}
