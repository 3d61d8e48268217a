import { NextResponse } from "next/server";
import { edgeRoute } from "@/lib/http/edge";
import { INSTANCE } from "@/lib/log/instance";

export const dynamic = "force-dynamic";

/** Liveness, for the load balancer: answers while the process runs, and asks nothing of the database. */
export const GET = edgeRoute(async () =>
  NextResponse.json({ status: "ok", instance: INSTANCE }, { headers: { "cache-control": "no-store" } }),
);
