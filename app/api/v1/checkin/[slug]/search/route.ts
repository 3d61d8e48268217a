import type { NextRequest } from "next/server";
import { scannerAt } from "@/lib/checkin/access";
import { searchForCheckIn } from "@/lib/checkin/snapshot";
import { db } from "@/lib/db/prisma";

// GET /api/v1/checkin/{slug}/search?q=…: people to check in by hand.
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const edition = await db().edition.findUnique({ where: { slug: (await params).slug }, select: { id: true } });
  if (!edition) return Response.json({ title: "No such edition", status: 404 }, { status: 404 });
  const access = await scannerAt(db(), request, edition.id);
  if (access.denied) return access.denied;
  return Response.json({ results: await searchForCheckIn(db(), edition.id, request.nextUrl.searchParams.get("q") ?? "") }, { headers: { "cache-control": "no-store" } });
}
