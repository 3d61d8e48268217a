import { locales } from "@/lib/i18n/locales";

// Every route of app/ (route-label.test.ts fails when one is missing), in Next's folder names' terms: `:name` a
// dynamic segment, `:name*` a catch-all. Order does not matter: the most specific match wins, as in Next.
const ROUTES = [
  "/",
  "/icon.svg",
  "/:locale",
  "/:locale/:rest*",
  "/:locale/editions/:slug",
  "/:locale/editions/:slug/queue",
  "/:locale/editions/:slug/queue/join",
  "/:locale/editions/:slug/register",
  "/:locale/email-preferences/:token",
  "/:locale/orders/:token",
  "/:locale/orders/:token/calendar.ics",
  "/:locale/orders/:token/cancel",
  "/:locale/orders/:token/certificate.pdf",
  "/:locale/orders/:token/invoices/:number",
  "/:locale/orders/:token/quote",
  "/:locale/orders/:token/ticket.pdf",
  "/:locale/pay/:payToken",
  "/:locale/pay/:payToken/quote",
  "/:locale/privacy",
  "/:locale/privacy/export/:signed",
  "/:locale/privacy/export/expired",
  "/:locale/tickets/:token",
  "/:locale/tickets/:token/calendar.ics",
  "/:locale/tickets/:token/certificate.pdf",
  "/:locale/tickets/:token/ticket.pdf",
  "/:locale/waiting-list/:token",
  "/admin",
  "/admin/api-tokens",
  "/admin/editions/new",
  "/admin/editions/:slug",
  "/admin/editions/:slug/allocations",
  "/admin/editions/:slug/attendees",
  "/admin/editions/:slug/attendees/:ticketId",
  "/admin/editions/:slug/attendees/:ticketId/certificate.pdf",
  "/admin/editions/:slug/attendees/badges",
  "/admin/editions/:slug/attendees/export",
  "/admin/editions/:slug/audit",
  "/admin/editions/:slug/emails",
  "/admin/editions/:slug/emails/templates",
  "/admin/editions/:slug/emails/templates/:kind",
  "/admin/editions/:slug/messages",
  "/admin/editions/:slug/messages/new",
  "/admin/editions/:slug/messages/:messageId",
  "/admin/editions/:slug/messages/:messageId/edit",
  "/admin/editions/:slug/orders/:reference",
  "/admin/editions/:slug/orders/:reference/invoices/:number",
  "/admin/editions/:slug/questions",
  "/admin/editions/:slug/settings",
  "/admin/editions/:slug/settings/certificate-sample.pdf",
  "/admin/editions/:slug/settings/signature",
  "/admin/editions/:slug/ticket-types",
  "/admin/editions/:slug/vouchers",
  "/admin/editions/:slug/vouchers/export",
  "/admin/editions/:slug/vouchers/report",
  "/admin/editions/:slug/waiting-list",
  "/admin/editions/:slug/waiting-list/export",
  "/admin/forbidden",
  "/admin/growth/export",
  "/admin/invoices",
  "/admin/invoices/export",
  "/admin/invoicing",
  "/admin/language",
  "/admin/privacy",
  "/admin/privacy/export",
  "/admin/sign-in",
  "/admin/system",
  "/admin/transfers",
  "/admin/transfers/statements/:importId",
  "/admin/users",
  "/api/auth/:nextauth*",
  "/api/health",
  "/api/metrics",
  "/api/ready",
  "/api/stripe/webhook",
  "/api/v1/checkin",
  "/api/v1/checkin/:slug",
  "/api/v1/checkin/:slug/group",
  "/api/v1/checkin/:slug/search",
  "/api/v1/editions/:slug",
  "/api/v1/editions/:slug/attendees",
  "/api/v1/editions/:slug/queue",
  "/api/v1/editions/:slug/registrations",
  "/api/v1/editions/:slug/waiting-list",
  "/api/v1/email-opt-out/:token",
  "/api/v1/registration-challenge",
  "/api/v1/waiting-list/:token/leave",
  "/checkin",
  "/checkin/:slug",
  "/checkin/manifest.webmanifest",
  "/checkin/sw.js",
];

const LOCALE = `(?:${locales.join("|")})`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(route: string) {
  const segments = route.split("/").slice(1);
  const parts = segments.map((segment) => {
    if (segment === ":locale") return { source: LOCALE, rank: 1 };
    if (segment.endsWith("*")) return { source: ".+", rank: 2 };
    if (segment.startsWith(":")) return { source: "[^/]+", rank: 1 };
    return { source: escape(segment), rank: 0 };
  });
  return {
    route,
    pattern: new RegExp(`^/${parts.map((part) => part.source).join("/")}$`),
    ranks: parts.map((part) => part.rank),
  };
}

// Static segments before dynamic ones before catch-alls, segment by segment from the left: Next's own precedence,
// so `/admin/editions/new` is not `/admin/editions/:slug`.
function moreSpecific(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return b.length - a.length;
}

const COMPILED = ROUTES.map(compile).sort((a, b) => moreSpecific(a.ranks, b.ranks));

/**
 * The route a request path belongs to, for the access log and the latency histogram: the route's pattern, never the
 * path, which holds tokens and would give a label per order. Next's assets are `/_next`; anything else is `other`.
 */
export function routeLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "/_next";
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return COMPILED.find((route) => route.pattern.test(path))?.route ?? "other";
}
