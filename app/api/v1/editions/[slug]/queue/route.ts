import { db } from "@/lib/db/prisma";
import { EdgeRefusal } from "@/lib/http/edge";
import { queueHoldResponse } from "@/lib/queue/api-answer";
import { queueKey, queueState } from "@/lib/queue/app-queue";
import { queueGate } from "@/lib/queue/gate";
import { anyone, apiRoute } from "@/lib/web/api-route";

export const dynamic = "force-dynamic";

// A waiting client's poll: where its place stands now. It reads the instance's cached view of the queue and
// writes nothing, so thousands of waiting clients cost the database one read per instance every 250 ms.
export const GET = apiRoute({ auth: anyone }, async ({ request, params }) => {
  const state = await queueState(db(), String(params.slug));
  if (!state) throw new EdgeRefusal(404, "not_found", { title: "No such edition" });
  if (!state.queue) return Response.json({ status: "open" }, { headers: { "cache-control": "no-store" } });
  const ticket = new URL(request.url).searchParams.get("ticket");
  const gate = await queueGate(db(), state, ticket, { key: queueKey(), now: new Date(), join: false });
  if (gate.status === "admitted" || gate.status === "open") {
    return Response.json({ status: "admitted" }, { headers: { "cache-control": "no-store" } });
  }
  return queueHoldResponse(gate, 200);
});
