import { getLocale } from "next-intl/server";
import type { NextRequest } from "next/server";
import { parseAttendeeFilter, streamAttendees } from "@/lib/attendees/query";
import { routeActor } from "@/lib/auth/route-guard";
import { db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { BADGE_LAYOUTS, badgesPdf, type Badge } from "@/lib/tickets/badges";
import { currentTicketCode } from "@/lib/tickets/issue";

// GET ?layout=a6|labels&<filters>: name badges with signed QR codes. Only confirmed, active
// tickets get a badge, whatever the status filter says: a badge is an entry pass.
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { denied } = await routeActor("exports:read");
  if (denied) return denied;
  const edition = await getEditionForOrganisers(db(), (await params).slug);
  if (!edition) return new Response("Not found\n", { status: 404 });
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
        ticketType: localized(row.ticketType, "name", locale),
        editionName,
        code: currentTicketCode(row),
      };
    }
  }
  return new Response(badgesPdf(badges(), layout, editionName), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${edition.slug}-badges-${layout}.pdf"`, "cache-control": "no-store" },
  });
}
