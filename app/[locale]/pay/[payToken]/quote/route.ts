import { edgeRoute } from "@/lib/http/edge";
import { payPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { quoteDownload } from "@/lib/web/quote-download";

// GET: the same quote for whoever the buyer forwarded the payment link to (an accounts department).
export const GET = edgeRoute<{ locale: string; payToken: string }>((_request, { locale, payToken }) =>
  quoteDownload({ payToken }, payPath(localeOr(locale), payToken)),
);
