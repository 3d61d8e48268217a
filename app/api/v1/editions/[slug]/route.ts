import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { editionOfferJson } from "@/lib/editions/public-json";
import { getEditionOffer } from "@/lib/editions/queries";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";

export const dynamic = "force-dynamic";

export const GET = edgeRoute<{ slug: string }>(async (_request, { slug }) => {
  const offer = await getEditionOffer(db(), slug);
  if (!offer) throw new EdgeRefusal(404, "not_found");
  return NextResponse.json(editionOfferJson(offer), { headers: { "Cache-Control": "no-store" } });
});
