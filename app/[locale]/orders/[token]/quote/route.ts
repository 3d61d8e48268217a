import { edgeRoute } from "@/lib/http/edge";
import { orderPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { quoteDownload } from "@/lib/web/quote-download";

// GET: the quote (pro forma) of an order awaiting a bank transfer, for whoever holds the order's private link.
export const GET = edgeRoute<{ locale: string; token: string }>((_request, { locale, token }) =>
  quoteDownload({ accessToken: token }, orderPath(localeOr(locale), token)),
);
