import { db } from "@/lib/db/prisma";
import { privacyExportAddressOf } from "@/lib/email/privacy-link";
import { env } from "@/lib/env";
import { download } from "@/lib/http/download";
import { edgeRoute } from "@/lib/http/edge";
import { privacyExportExpiredPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { emailLinkKeyFrom } from "@/lib/messages/opt-out";
import { exportAddress } from "@/lib/privacy/export";
import { appNow } from "@/lib/time/clock";

export const dynamic = "force-dynamic";

/**
 * The link of a "my data" email: everything held under the address it was signed for, as a JSON file. A person opens
 * it from their mailbox, so an expired or altered link goes to a page in their language (a 404) rather than a problem.
 */
export const GET = edgeRoute<{ locale: string; signed: string }>(async (_request, { locale, signed }) => {
  const key = emailLinkKeyFrom(env());
  const emailKey = key ? privacyExportAddressOf(key, signed, appNow()) : null;
  if (!emailKey)
    return new Response(null, { status: 303, headers: { Location: privacyExportExpiredPath(localeOr(locale)) } });
  const data = await exportAddress(db(), emailKey);
  return download(JSON.stringify(data, null, 2), {
    filename: "guichet-data.json",
    contentType: "application/json; charset=utf-8",
    private: true,
  });
});
