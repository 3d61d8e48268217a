import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { exportWaitingListCsv } from "@/lib/exports/waitlist-csv";
import { download } from "@/lib/http/download";
import { localeOr } from "@/lib/i18n/locales";
import { apiRoute, session } from "@/lib/web/api-route";

// GET ?lang=fr|en: the edition's waiting list as a CSV, in the language chosen (fr unless told).
export const GET = apiRoute(
  { auth: session("exports:read"), edition: { find: getEditionForOrganisers } },
  async ({ request, db, edition }) => {
    const file = await exportWaitingListCsv(db, {
      edition,
      locale: localeOr(request.nextUrl.searchParams.get("lang")),
    });
    return download(file.body, { ...file, private: true });
  },
);
