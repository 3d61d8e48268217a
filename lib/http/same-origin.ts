import { EdgeRefusal } from "./edge";

/**
 * Refuses a write that a browser sent from another site with the user's cookies. A cookie is only
 * trusted on a JSON request (a cross-site page cannot send one without a CORS preflight, which the
 * app never grants) whose Origin, when the browser says it, is the app's own. Callers with an
 * `Authorization` token and no cookie (scanning devices, scripts) are not concerned.
 */
export function crossSiteWriteRefusal(request: Request, appUrl: string): EdgeRefusal | null {
  if (!request.headers.get("cookie")) return null;
  const origin = request.headers.get("origin");
  const ownOrigins = [new URL(appUrl).origin, new URL(request.url).origin];
  const json = request.headers.get("content-type")?.toLowerCase().startsWith("application/json") ?? false;
  if (json && (origin === null || ownOrigins.includes(origin))) return null;
  return new EdgeRefusal(403, "cross_site_request", { title: "Cross-site request refused" });
}
