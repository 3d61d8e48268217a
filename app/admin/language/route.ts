import { NextResponse, type NextRequest } from "next/server";
import { isLocale } from "@/lib/i18n/locales";
import { LOCALE_COOKIE } from "@/lib/i18n/request";

// The back office has no locale in its paths: the chosen language is a cookie, then back to the page.
export function GET(request: NextRequest) {
  const to = request.nextUrl.searchParams.get("to");
  const referer = request.headers.get("referer");
  const back = referer ? new URL(referer) : null;
  const sameSite = back && back.host === request.nextUrl.host && /^\/(admin|checkin)(\/|$)/.test(back.pathname);
  const response = NextResponse.redirect(new URL(sameSite ? `${back.pathname}${back.search}` : "/admin", request.url), 303);
  if (isLocale(to)) response.cookies.set(LOCALE_COOKIE, to, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  return response;
}
