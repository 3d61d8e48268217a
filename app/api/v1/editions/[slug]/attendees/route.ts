import { parseAttendeeFilter } from "@/lib/attendees/query";
import type { Db } from "@/lib/db/prisma";
import { EXPORT_FORMATS, exportAttendees } from "@/lib/exports/attendee-export";
import { apiRoute, exportToken } from "@/lib/web/api-route";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { localeOr } from "@/lib/i18n/locales";

const withQuestions = { questions: { orderBy: [{ position: "asc" as const }, { key: "asc" as const }] } };
const findEdition = (db: Db, slug: string) => db.edition.findUnique({ where: { slug }, include: withQuestions });

// GET /api/v1/editions/{slug}/attendees?format=csv|json|xlsx — for scripts, with an API token
// created in the back office (docs/api.md). Same filters and columns as the back office's export.
export const GET = apiRoute({ auth: exportToken, edition: { find: findEdition } }, async ({ request, db, edition }) => {
  const query = request.nextUrl.searchParams;
  const format = EXPORT_FORMATS.find((candidate) => candidate === (query.get("format") ?? "json"));
  if (!format) throw new EdgeRefusal(400, "invalid_format", { title: "format must be csv, json or xlsx" });
  const columnIds = query.getAll("columns");
  const locale = localeOr(query.get("lang"), "en");
  const file = exportAttendees(db, { edition, filter: parseAttendeeFilter(query), columnIds, format, locale });
  return download(file.body, file);
});
