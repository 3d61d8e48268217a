import { env } from "@/lib/env";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { exportVouchersCsv } from "@/lib/exports/voucher-csv";
import { download } from "@/lib/http/download";
import { localeOr } from "@/lib/i18n/locales";
import { apiRoute, session } from "@/lib/web/api-route";

// GET ?tag=…&lang=fr|en: the edition's codes (or one tag's) as a CSV, links in the language chosen (fr unless told).
export const GET = apiRoute(
  { auth: session("exports:read"), edition: { find: getEditionForOrganisers } },
  async ({ request, db, edition }) => {
    const query = request.nextUrl.searchParams;
    const file = await exportVouchersCsv(db, {
      edition,
      tag: query.get("tag") || undefined,
      locale: localeOr(query.get("lang")),
      appUrl: env().APP_URL,
    });
    return download(file.body, { ...file, private: true });
  },
);
