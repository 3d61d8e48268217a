import { edgeRoute } from "@/lib/http/edge";
import { quoteDownload } from "@/lib/web/quote-download";

// GET: the same quote for whoever the buyer forwarded the payment link to (an accounts department).
export const GET = edgeRoute<{ locale: string; payToken: string }>((_request, { payToken }) =>
  quoteDownload({ payToken }),
);
