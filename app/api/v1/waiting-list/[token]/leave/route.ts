import { NextResponse } from "next/server";
import { EdgeRefusal } from "@/lib/http/edge";
import { leaveWaitingList } from "@/lib/waitlist/entries";
import { anyone, apiRoute } from "@/lib/web/api-route";

export const dynamic = "force-dynamic";

/**
 * One-click leave (RFC 8058), the target of the waiting-list emails' List-Unsubscribe: the mail client POSTs
 * `List-Unsubscribe=One-Click` as a form from its own servers, so neither the body nor its origin is read; the
 * token is the right. `left` is false the second time.
 */
export const POST = apiRoute({ auth: anyone }, async ({ params, db }) => {
  const result = await leaveWaitingList(db, String(params.token));
  if (!result.ok) throw new EdgeRefusal(404, "not_found", { title: "No such waiting-list entry" });
  return NextResponse.json({ left: result.closed });
});
