import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { edgeRoute } from "@/lib/http/edge";
import { languageSwitchTarget } from "@/lib/i18n/language-switch";
import { isLocale } from "@/lib/i18n/locales";
import { LOCALE_COOKIE } from "@/lib/i18n/request";

// The back office has no locale in its paths: the chosen language is a cookie, then back to the page.
export const GET = edgeRoute(async (request) => {
  const to = request.nextUrl.searchParams.get("to");
  const response = NextResponse.redirect(languageSwitchTarget(request.headers.get("referer"), env().APP_URL), 303);
  if (isLocale(to)) response.cookies.set(LOCALE_COOKIE, to, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  return response;
});
