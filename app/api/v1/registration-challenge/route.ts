import { NextResponse } from "next/server";
import { issueChallenge } from "@/lib/abuse/challenge";
import { registrationDefences } from "@/lib/abuse/defences";
import { anyone, apiRoute } from "@/lib/web/api-route";
import { EdgeRefusal } from "@/lib/http/edge";

export const dynamic = "force-dynamic";

/** A proof-of-work challenge for one registration (the form's widget and API clients fetch it here). */
export const GET = apiRoute({ auth: anyone }, async () => {
  const key = registrationDefences().challengeKey;
  if (key === null) throw new EdgeRefusal(404, "challenge_off");
  return NextResponse.json(await issueChallenge(key), { headers: { "cache-control": "no-store" } });
});
