import "server-only";
import { db } from "@/lib/db/prisma";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { renderOrderQuote, type QuoteOrderKey } from "@/lib/payments/quote";

/**
 * A transfer order's quote as a download, for the holder of one of its links (the buyer's, or the payer's): the PDF,
 * or a problem without a page. An unknown link is a 404; an order that no longer awaits a transfer (paid,
 * cancelled, past its deadline) a 410, its quote asking for a payment nobody should make any more.
 */
export async function quoteDownload(key: QuoteOrderKey): Promise<Response> {
  const answer = await renderOrderQuote(db(), key, new Date());
  if (answer.ok) {
    const file = { filename: answer.fileName, contentType: "application/pdf", private: true };
    return download(new Uint8Array(answer.pdf), file);
  }
  switch (answer.reason) {
    case "unknown_order":
      throw new EdgeRefusal(404, "not_found");
    case "not_awaiting_transfer":
      throw new EdgeRefusal(410, "not_awaiting_transfer", {
        title: "This order no longer awaits a bank transfer: it was paid, cancelled, or its deadline passed",
      });
    case "organiser_profile_missing":
      throw new EdgeRefusal(503, "quote_unavailable", { title: "The organiser's invoicing settings are missing" });
  }
}
