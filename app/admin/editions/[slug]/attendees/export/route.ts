import { getLocale } from "next-intl/server";
import { parseAttendeeFilter } from "@/lib/attendees/query";
import { routeActor } from "@/lib/auth/route-guard";
import { db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { EXPORT_FORMATS, exportAttendees } from "@/lib/exports/attendee-export";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import type { Locale } from "@/lib/i18n/locales";

// GET ?format=csv|xlsx&columns=…&<filters>: the filtered attendee list as a streamed download.
export const GET = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const { denied } = await routeActor("exports:read");
  if (denied) return denied;
  const edition = await getEditionForOrganisers(db(), slug);
  if (!edition) throw new EdgeRefusal(404, "not_found");
  const query = request.nextUrl.searchParams;
  const format = EXPORT_FORMATS.find((candidate) => candidate === query.get("format")) ?? "csv";
  const file = exportAttendees(db(), {
    edition,
    filter: parseAttendeeFilter(query),
    columnIds: query.getAll("columns"),
    format,
    locale: (await getLocale()) as Locale,
  });
  return new Response(file.body, {
    headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "no-store" },
  });
});
