import { parseAttendeeFilter } from "@/lib/attendees/query";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { EXPORT_FORMATS, exportAttendees } from "@/lib/exports/attendee-export";
import { apiRoute, session } from "@/lib/web/api-route";
import { download } from "@/lib/http/download";
import { currentLocale } from "@/lib/i18n/page-locale";

// GET ?format=csv|xlsx&columns=…&<filters>: the filtered attendee list as a streamed download.
export const GET = apiRoute(
  { auth: session("exports:read"), edition: { find: getEditionForOrganisers } },
  async ({ request, db, edition }) => {
    const query = request.nextUrl.searchParams;
    const format = EXPORT_FORMATS.find((candidate) => candidate === query.get("format")) ?? "csv";
    const file = exportAttendees(db, {
      edition,
      filter: parseAttendeeFilter(query),
      columnIds: query.getAll("columns"),
      format,
      locale: await currentLocale(),
    });
    return download(file.body, file);
  },
);
