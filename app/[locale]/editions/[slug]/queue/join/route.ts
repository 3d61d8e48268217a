import { NextResponse } from "next/server";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { absoluteUrl, queuePath, registerPath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { queueCookieName, queueKey, queueState } from "@/lib/queue/app-queue";
import { queueGate } from "@/lib/queue/gate";
import { QUEUE_TICKET_LIFETIME_MS } from "@/lib/queue/ticket";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ locale: string; slug: string }> };

// Takes a place in the edition's waiting room for this browser, keeps it in a cookie and shows the waiting
// page. Pages cannot set cookies, hence this step. `joined=1` tells the page a cookie was just set, so a browser
// that refuses cookies hears so instead of going round in circles.
export async function GET(_request: Request, { params }: Params) {
  const { locale: asked, slug } = await params;
  const locale = localeOr(asked);
  const to = (path: string) => NextResponse.redirect(absoluteUrl(env().APP_URL, path), 303);
  const state = await queueState(db(), slug);
  if (!state) return new NextResponse(null, { status: 404 });
  if (!state.queue) return to(registerPath(locale, slug));
  const gate = await queueGate(db(), state, null, { key: queueKey(), now: new Date(), join: true });
  if (gate.status !== "queued") return to(queuePath(locale, slug));
  const response = to(queuePath(locale, slug, { joined: "1" }));
  response.cookies.set(queueCookieName(slug), gate.ticket, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https:"),
    path: "/",
    maxAge: QUEUE_TICKET_LIFETIME_MS / 1000,
  });
  return response;
}
