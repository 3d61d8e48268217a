import createMiddleware from "next-intl/middleware";
import { NextRequest, NextResponse } from "next/server";
import { routing } from "@/lib/i18n/routing";
import { pageContentSecurityPolicy, strictTransportSecurity } from "@/lib/http/security-headers";

const localeRedirects = createMiddleware(routing);

// Only a convenience: sends visitors without a session cookie to the sign-in page and back. Every
// back-office page, action and route checks the session and role itself.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const OPEN_BACK_OFFICE_PATHS = ["/admin/sign-in", "/admin/language"];

/**
 * Every page gets a Content-Security-Policy with a fresh nonce: Next.js reads the policy from the
 * request headers and puts the nonce on the scripts it renders. API routes, files and Next's
 * assets are not matched; next.config.ts gives them (and pages) the static security headers.
 */
export default function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const policy = pageContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = route(new NextRequest(request, { headers: requestHeaders }), requestHeaders);
  response.headers.set("content-security-policy", policy);
  const hsts = strictTransportSecurity(process.env.APP_URL);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}

function route(request: NextRequest, requestHeaders: Headers): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/checkin" || pathname.startsWith("/checkin/"))
    return NextResponse.next({ request: { headers: requestHeaders } });
  if (pathname === "/admin" || pathname.startsWith("/admin/")) {
    const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
    if (signedIn || OPEN_BACK_OFFICE_PATHS.some((path) => pathname.startsWith(path)))
      return NextResponse.next({ request: { headers: requestHeaders } });
    const signIn = new URL("/admin/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  // Public pages: "/" and unprefixed paths go to /fr/… or /en/… from the cookie or Accept-Language.
  return localeRedirects(request);
}

export const config = {
  matcher: ["/((?!api|_next|_vercel|.*\\..*).*)"],
};
