import { searchForCheckIn } from "@/lib/checkin/snapshot";
import { apiRoute, scanner } from "@/lib/web/api-route";

// GET /api/v1/checkin/{slug}/search?q=…: people to check in by hand.
export const GET = apiRoute(
  { auth: scanner, edition: { find: (db, slug) => db.edition.findUnique({ where: { slug }, select: { id: true } }) } },
  async ({ request, db, edition }) => {
    const results = await searchForCheckIn(db, edition.id, request.nextUrl.searchParams.get("q") ?? "");
    return Response.json({ results }, { headers: { "cache-control": "no-store" } });
  },
);
