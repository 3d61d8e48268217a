import { getLocale } from "next-intl/server";
import { bulkSelectionSchema } from "@/lib/attendees/bulk";
import { parseAttendeeFilter, type AttendeeFilter } from "@/lib/attendees/query";
import { routeActor } from "@/lib/auth/route-guard";
import { db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { attendeeBadges, BADGE_LAYOUTS, badgesPdf } from "@/lib/attendees/badges";
import { ticketKeys } from "@/lib/tickets/signing-key";

// GET ?layout=a6|labels&<filters>: name badges with signed QR codes. Only confirmed, active
// tickets get a badge, whatever the status filter says: a badge is an entry pass.
export const GET = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const { denied } = await routeActor("exports:read");
  if (denied) return denied;
  const query = request.nextUrl.searchParams;
  return badgesResponse(slug, parseAttendeeFilter(query), query.get("layout"));
});

// POST ticketIds=…&layout=…: the badges of the rows ticked in the list (too many ids for a URL),
// in the list's order.
export const POST = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const { denied } = await routeActor("exports:read");
  if (denied) return denied;
  const form = await request.formData();
  const selection = bulkSelectionSchema.shape.ticketIds.safeParse(form.getAll("ticketIds"));
  if (!selection.success) throw new EdgeRefusal(400, "bad_request");
  const order = parseAttendeeFilter(request.nextUrl.searchParams);
  const filter = { sort: order.sort, dir: order.dir, ticketIds: selection.data };
  return badgesResponse(slug, filter, String(form.get("layout") ?? "a6"));
});

async function badgesResponse(slug: string, filter: AttendeeFilter, requestedLayout: string | null) {
  const edition = await getEditionForOrganisers(db(), slug);
  if (!edition) throw new EdgeRefusal(404, "not_found");
  const locale = (await getLocale()) as Locale;
  const layout = BADGE_LAYOUTS.find((candidate) => candidate === requestedLayout) ?? "a6";
  const badges = attendeeBadges(db(), ticketKeys().privateKey, edition, filter, locale);
  return new Response(badgesPdf(badges, layout, localized(edition, "name", locale)), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${edition.slug}-badges-${layout}.pdf"`, "cache-control": "no-store" },
  });
}
