import { scannerAt } from "@/lib/checkin/access";
import { searchForCheckIn } from "@/lib/checkin/snapshot";
import { db } from "@/lib/db/prisma";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";

// GET /api/v1/checkin/{slug}/search?q=…: people to check in by hand.
export const GET = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const edition = await db().edition.findUnique({ where: { slug }, select: { id: true } });
  if (!edition) throw new EdgeRefusal(404, "not_found", { title: "No such edition" });
  await scannerAt(db(), request, edition.id);
  const results = await searchForCheckIn(db(), edition.id, request.nextUrl.searchParams.get("q") ?? "");
  return Response.json({ results }, { headers: { "cache-control": "no-store" } });
});
