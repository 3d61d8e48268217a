import { NextResponse } from "next/server";
import { editionOfferJson } from "@/lib/editions/public-json";
import { getEditionOffer } from "@/lib/editions/queries";
import { anyone, apiRoute } from "@/lib/web/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ auth: anyone, edition: { find: getEditionOffer } }, async ({ edition: offer }) =>
  NextResponse.json(editionOfferJson(offer), { headers: { "Cache-Control": "no-store" } }),
);
