import createMiddleware from "next-intl/middleware";
import { routing } from "@/lib/i18n/routing";

// Sends "/" and unprefixed paths to /fr/… or /en/… from the cookie or Accept-Language.
export default createMiddleware(routing);

export const config = {
  matcher: ["/((?!api|_next|_vercel|.*\\..*).*)"],
};
