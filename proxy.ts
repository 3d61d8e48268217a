import createMiddleware from "next-intl/middleware";
import { NextRequest, NextResponse } from "next/server";
import { routing } from "@/lib/i18n/routing";
import { SESSION_COOKIES } from "@/lib/auth/session-cookies";
import { problem } from "@/lib/http/problem";
import { pageContentSecurityPolicy, strictTransportSecurity } from "@/lib/http/security-headers";

const localeRedirects = createMiddleware(routing);

// Only a convenience: sends visitors without a session cookie to the sign-in page and back. Every
// back-office page, action and route checks the session and role itself.
const OPEN_BACK_OFFICE_PATHS = ["/admin/sign-in", "/admin/language"];

/**
 * Every page gets a Content-Security-Policy with a fresh nonce: Next.js reads the policy from the
 * request headers and puts the nonce on the scripts it renders. API routes, files and Next's
 * assets are not matched; next.config.ts gives them (and pages) the static security headers.
 */
export default function proxy(request: NextRequest) {
  const refused = refuseBeforeNext(request);
  if (refused) return refused;
  // API routes and files (ticket.pdf, the manifest, public/) only needed the checks above.
  if (request.nextUrl.pathname.startsWith("/api/") || /\.[^/]*$/.test(request.nextUrl.pathname))
    return NextResponse.next();
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

// Next's own server-action limit (bodySizeLimit): larger bodies are refused here with a 413 rather than a 500.
const SERVER_ACTION_MAX_BYTES = 1024 * 1024;

// A path Next would fail to decode, once or (behind the locale middleware) twice; legitimate paths never hold a
// "%" once decoded.
function decodablePath(pathname: string): boolean {
  try {
    const once = decodeURIComponent(pathname);
    if (once.includes("%")) decodeURIComponent(once);
    return true;
  } catch {
    return false;
  }
}

/**
 * What Next.js itself answers with a bare 500 before any code of ours runs: a path that does not decode, and a
 * server action that is too large or posted from another site. Each gets a clear 4xx here, and nothing runs.
 */
function refuseBeforeNext(request: NextRequest): Response | null {
  const api = request.nextUrl.pathname.startsWith("/api/");
  const refuse = (status: number, code: string) =>
    api
      ? problem(status, code)
      : new NextResponse(`${code}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (!decodablePath(request.nextUrl.pathname)) return refuse(400, "invalid_path");
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  if (Number(request.headers.get("content-length") ?? 0) > SERVER_ACTION_MAX_BYTES)
    return refuse(413, "body_too_large");
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== host))
    return refuse(403, "cross_site_request");
  return null;
}

function route(request: NextRequest, requestHeaders: Headers): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/checkin" || pathname.startsWith("/checkin/"))
    return NextResponse.next({ request: { headers: requestHeaders } });
  if (pathname === "/admin" || pathname.startsWith("/admin/")) {
    const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
    if (signedIn || OPEN_BACK_OFFICE_PATHS.some((path) => pathname.startsWith(path)))
      return NextResponse.next({ request: { headers: requestHeaders } });
    // The public address, not the one this server listens on (localhost behind a proxy).
    const signIn = new URL("/admin/sign-in", process.env.APP_URL ?? request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  // Public pages: "/" and unprefixed paths go to /fr/… or /en/… from the cookie or Accept-Language.
  return localeRedirects(request);
}

export const config = {
  // API routes and files pass through for the checks only (their headers come from next.config.ts). An API path
  // without a "%" has nothing for them to check, and skips the proxy: running it costs about 1 ms of the server's
  // CPU per request, a quarter of a registration's (bench:rush, issue 15).
  matcher: ["/((?!_next|_vercel|api/[^%]*$).*)"],
};
