import { bulkSelectionSchema } from "@/lib/attendees/bulk";
import { parseAttendeeFilter, type AttendeeFilter } from "@/lib/attendees/query";
import type { Db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { apiRoute, session } from "@/lib/web/api-route";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { attendeeBadges, BADGE_LAYOUTS, badgesPdf } from "@/lib/attendees/badges";
import { ticketKeys } from "@/lib/tickets/signing-key";

type Edition = NonNullable<Awaited<ReturnType<typeof getEditionForOrganisers>>>;

const organisersEdition = { auth: session("exports:read"), edition: { find: getEditionForOrganisers } };

// GET ?layout=a6|labels&<filters>: name badges with signed QR codes. Only confirmed, active
// tickets get a badge, whatever the status filter says: a badge is an entry pass.
export const GET = apiRoute(organisersEdition, async ({ request, db, edition }) => {
  const query = request.nextUrl.searchParams;
  return badgesDownload(db, edition, parseAttendeeFilter(query), query.get("layout"));
});

// POST ticketIds=…&layout=…: the badges of the rows ticked in the list (too many ids for a URL),
// in the list's order.
export const POST = apiRoute(organisersEdition, async ({ request, db, edition }) => {
  const form = await request.formData();
  const selection = bulkSelectionSchema.shape.ticketIds.safeParse(form.getAll("ticketIds"));
  if (!selection.success) throw new EdgeRefusal(400, "bad_request");
  const order = parseAttendeeFilter(request.nextUrl.searchParams);
  const filter = { sort: order.sort, dir: order.dir, ticketIds: selection.data };
  return badgesDownload(db, edition, filter, String(form.get("layout") ?? "a6"));
});

async function badgesDownload(db: Db, edition: Edition, filter: AttendeeFilter, requestedLayout: string | null) {
  const locale = await currentLocale();
  const layout = BADGE_LAYOUTS.find((candidate) => candidate === requestedLayout) ?? "a6";
  const badges = attendeeBadges(db, ticketKeys().privateKey, edition, filter, locale);
  return download(badgesPdf(badges, layout, localized(edition, "name", locale)), {
    filename: `${edition.slug}-badges-${layout}.pdf`,
    contentType: "application/pdf",
  });
}
