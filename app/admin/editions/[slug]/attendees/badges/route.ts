import { getLocale } from "next-intl/server";
import { parseAttendeeFilter, streamAttendees } from "@/lib/attendees/query";
import { routeActor } from "@/lib/auth/route-guard";
import { db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { localized } from "@/lib/i18n/format";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { BADGE_LAYOUTS, badgesPdf, type Badge } from "@/lib/tickets/badges";
import { currentTicketCode } from "@/lib/tickets/issue";

// GET ?layout=a6|labels&<filters>: name badges with signed QR codes. Only confirmed, active
// tickets get a badge, whatever the status filter says: a badge is an entry pass.
// A badge is worn by its attendee: the ticket type is printed in the language they registered in.
export const GET = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const { denied } = await routeActor("exports:read");
  if (denied) return denied;
  const edition = await getEditionForOrganisers(db(), slug);
  if (!edition) throw new EdgeRefusal(404, "not_found");
  const locale = (await getLocale()) as Locale;
  const query = request.nextUrl.searchParams;
  const layout = BADGE_LAYOUTS.find((candidate) => candidate === query.get("layout")) ?? "a6";
  const filter = { ...parseAttendeeFilter(query), status: "confirmed" as const };
  const editionName = localized(edition, "name", locale);
  async function* badges(): AsyncGenerator<Badge> {
    for await (const row of streamAttendees(db(), edition!.id, filter)) {
      yield {
        name: `${row.firstName} ${row.lastName}`,
        company: row.company,
        ticketType: localized(row.ticketType, "name", isLocale(row.order.locale) ? row.order.locale : locale),
        editionName,
        code: currentTicketCode(row),
      };
    }
  }
  return new Response(badgesPdf(badges(), layout, editionName), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${edition.slug}-badges-${layout}.pdf"`, "cache-control": "no-store" },
  });
});
