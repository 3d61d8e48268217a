import { NextResponse } from "next/server";
import { edgeRoute } from "@/lib/http/edge";
import { thisInstanceReadiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

/** Readiness, for the load balancer's routing: 200 when this instance can serve, else 503 with what is wrong. */
export const GET = edgeRoute(async () => {
  const readiness = await thisInstanceReadiness();
  return NextResponse.json(readiness, {
    status: readiness.status === "ready" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
});
