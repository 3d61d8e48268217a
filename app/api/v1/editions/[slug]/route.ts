import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { editionOfferJson } from "@/lib/editions/public-json";
import { getEditionOffer } from "@/lib/editions/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const offer = await getEditionOffer(db(), slug);
  if (!offer) return NextResponse.json({ error: "not_found" }, { status: 404 });
  return NextResponse.json(editionOfferJson(offer), { headers: { "Cache-Control": "no-store" } });
}
