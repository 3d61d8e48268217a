import { parseAttendeeFilter } from "@/lib/attendees/query";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/prisma";
import { EXPORT_FORMATS, exportAttendees } from "@/lib/exports/attendee-export";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { isLocale } from "@/lib/i18n/locales";

// GET /api/v1/editions/{slug}/attendees?format=csv|json|xlsx — for scripts, with an API token
// created in the back office (docs/api.md). Same filters and columns as the back office's export.
export const GET = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const edition = await db().edition.findUnique({
    where: { slug },
    include: { questions: { orderBy: [{ position: "asc" }, { key: "asc" }] } },
  });
  const auth = await authenticateApiToken(db(), request.headers.get("authorization"), edition?.id ?? "");
  if (!auth.ok && auth.status === 401) {
    const title = "A valid API token is required: Authorization: Bearer gch_…";
    throw new EdgeRefusal(401, "unauthorized", { title }, { "www-authenticate": 'Bearer realm="guichet"' });
  }
  if (!auth.ok) throw new EdgeRefusal(403, "forbidden", { title: "This token is limited to another edition" });
  if (!edition) throw new EdgeRefusal(404, "not_found", { title: "No such edition" });
  const query = request.nextUrl.searchParams;
  const format = EXPORT_FORMATS.find((candidate) => candidate === (query.get("format") ?? "json"));
  if (!format) throw new EdgeRefusal(400, "invalid_format", { title: "format must be csv, json or xlsx" });
  const lang = query.get("lang");
  const file = exportAttendees(db(), { edition, filter: parseAttendeeFilter(query), columnIds: query.getAll("columns"), format, locale: isLocale(lang) ? lang : "en" });
  return new Response(file.body, {
    headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "no-store" },
  });
});
