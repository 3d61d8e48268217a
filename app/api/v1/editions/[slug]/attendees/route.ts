import type { NextRequest } from "next/server";
import { parseAttendeeFilter } from "@/lib/attendees/query";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/prisma";
import { EXPORT_FORMATS, exportAttendees } from "@/lib/exports/attendee-export";
import { isLocale } from "@/lib/i18n/locales";

const problem = (status: number, title: string, headers: Record<string, string> = {}) =>
  Response.json({ title, status }, { status, headers: { "content-type": "application/problem+json", ...headers } });

// GET /api/v1/editions/{slug}/attendees?format=csv|json|xlsx — for scripts, with an API token
// created in the back office (docs/api.md). Same filters and columns as the back office's export.
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const edition = await db().edition.findUnique({ where: { slug: (await params).slug }, include: { questions: { orderBy: [{ position: "asc" }, { key: "asc" }] } } });
  const auth = await authenticateApiToken(db(), request.headers.get("authorization"), edition?.id ?? "");
  if (!auth.ok) {
    return auth.status === 401
      ? problem(401, "A valid API token is required: Authorization: Bearer gch_…", { "www-authenticate": 'Bearer realm="guichet"' })
      : problem(403, "This token is limited to another edition");
  }
  if (!edition) return problem(404, "No such edition");
  const query = request.nextUrl.searchParams;
  const format = EXPORT_FORMATS.find((candidate) => candidate === (query.get("format") ?? "json"));
  if (!format) return problem(400, "format must be csv, json or xlsx");
  const lang = query.get("lang");
  const file = exportAttendees(db(), { edition, filter: parseAttendeeFilter(query), columnIds: query.getAll("columns"), format, locale: isLocale(lang) ? lang : "en" });
  return new Response(file.body, { headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "no-store" } });
}
