import { NextResponse } from "next/server";
import { edgeRoute } from "@/lib/http/edge";
import { isDraining } from "@/lib/ops/draining";
import { thisInstanceReadiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

/** Readiness, for the load balancer's routing: 200 when this instance can serve, else 503 with what is wrong. */
export const GET = edgeRoute(async () => {
  const headers = { "cache-control": "no-store" };
  if (isDraining()) return NextResponse.json({ status: "draining" }, { status: 503, headers });
  const readiness = await thisInstanceReadiness();
  return NextResponse.json(readiness, { status: readiness.status === "ready" ? 200 : 503, headers });
});
