import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { emailLinkKeyFrom, optOut } from "@/lib/messages/opt-out";
import { anyone, apiRoute } from "@/lib/web/api-route";

export const dynamic = "force-dynamic";

/**
 * One-click opt-out (RFC 8058), the target of a non-essential message's List-Unsubscribe: the mail client POSTs
 * `List-Unsubscribe=One-Click` from its own servers, so neither the body nor its origin is read. It answers 200
 * whatever the state, and for a token that is not ours too: a mail provider retrying or probing learns nothing.
 */
export const POST = apiRoute({ auth: anyone }, async ({ params, db }) => {
  await optOut(db, emailLinkKeyFrom(env()) ?? "", String(params.token), "one_click");
  return NextResponse.json({ ok: true });
});
