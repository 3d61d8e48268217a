import "server-only";
import { db } from "@/lib/db/prisma";
import { download } from "@/lib/http/download";
import { renderOrderQuote, type QuoteOrderKey } from "@/lib/payments/quote";

/**
 * A transfer order's quote as a download, for the holder of one of its links (the buyer's, or the payer's): the PDF.
 * These links come from emails and are opened in a browser: when there is no quote to give (an unknown link, an
 * order paid, cancelled or past its deadline, the organiser's settings missing), the link's page (`page`, the
 * order page or the payment page) says why in the reader's language, or answers its own 404.
 */
export async function quoteDownload(key: QuoteOrderKey, page: string): Promise<Response> {
  const answer = await renderOrderQuote(db(), key, new Date());
  if (!answer.ok) return new Response(null, { status: 303, headers: { location: page, "cache-control": "no-store" } });
  const file = { filename: answer.fileName, contentType: "application/pdf", private: true };
  return download(new Uint8Array(answer.pdf), file);
}
