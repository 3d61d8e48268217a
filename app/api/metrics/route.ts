import { createHash, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { scrapeMetrics } from "@/lib/ops/scrape";

export const dynamic = "force-dynamic";

const sha256 = (text: string) => createHash("sha256").update(text).digest();

// Digests of equal length, so the comparison takes the same time whatever the token sent, and says nothing of its
// length either.
function bearerMatches(authorization: string | null, token: string): boolean {
  const sent = authorization?.match(/^Bearer (.+)$/)?.[1] ?? "";
  return timingSafeEqual(sha256(sent), sha256(token));
}

/** Prometheus's scrape (docs/operations.md, "Metrics"): off unless METRICS_TOKEN is set, then behind it. */
export const GET = edgeRoute(async (request) => {
  const token = env().METRICS_TOKEN;
  if (!token) throw new EdgeRefusal(404, "not_found");
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    throw new EdgeRefusal(401, "unauthorized", {}, { "www-authenticate": 'Bearer realm="metrics"' });
  }
  return new Response(await scrapeMetrics(db()), {
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
  });
});
