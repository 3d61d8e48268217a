import createMiddleware from "next-intl/middleware";
import { NextResponse, type NextRequest } from "next/server";
import { routing } from "@/lib/i18n/routing";

const localeRedirects = createMiddleware(routing);

// Only a convenience: sends visitors without a session cookie to the sign-in page and back. Every
// back-office page, action and route checks the session and role itself.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const OPEN_BACK_OFFICE_PATHS = ["/admin/sign-in", "/admin/language"];

export default function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/admin" || pathname.startsWith("/admin/")) {
    const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
    if (signedIn || OPEN_BACK_OFFICE_PATHS.some((path) => pathname.startsWith(path))) return NextResponse.next();
    const signIn = new URL("/admin/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  // Public pages: "/" and unprefixed paths go to /fr/… or /en/… from the cookie or Accept-Language.
  return localeRedirects(request);
}

export const config = {
  matcher: ["/((?!api|checkin|_next|_vercel|.*\\..*).*)"],
};
