import { NextResponse } from "next/server";
import { issueChallenge } from "@/lib/abuse/challenge";
import { registrationDefences } from "@/lib/abuse/defences";

export const dynamic = "force-dynamic";

/** A proof-of-work challenge for one registration (the form's widget and API clients fetch it here). */
export async function GET() {
  const key = registrationDefences().challengeKey;
  if (key === null) return NextResponse.json({ error: "challenge_off" }, { status: 404 });
  return NextResponse.json(await issueChallenge(key), { headers: { "cache-control": "no-store" } });
}
