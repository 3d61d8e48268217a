import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeLabel } from "./route-label";

// Every page and route handler under app/, as the pattern its folder names give.
function appRoutes(dir = path.resolve("app"), prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return /^(page\.tsx|route\.ts)$/.test(entry.name) ? [prefix || "/"] : [];
    const segment = entry.name
      .replace(/^\[\.\.\.(\w+)\]$/, ":$1*")
      .replace(/^\[(\w+)\]$/, ":$1")
      .replace(/^\(.*\)$/, "");
    return appRoutes(path.join(dir, entry.name), segment ? `${prefix}/${segment}` : prefix);
  });
}

// A path of that route, with values no static segment has.
const samplePath = (route: string) =>
  route
    .replace(":locale", "en")
    .replace(/:\w+\*/g, "some/where")
    .replace(/:\w+/g, "x-7");

describe("routeLabel", () => {
  it("knows every route of app/, a static segment before a dynamic one", () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) expect(routeLabel(samplePath(route)), route).toBe(route);
    expect(routeLabel("/admin/editions/new")).toBe("/admin/editions/new");
    expect(routeLabel("/admin/editions/devfest/attendees/badges")).toBe("/admin/editions/:slug/attendees/badges");
  });

  it("never gives back a token or a slug, only the route's pattern", () => {
    const token = "0W3nQyq1oqM4u2u3vF_0jLw-7yQH7lJf7m4bB2sE9Zg";
    expect(routeLabel(`/fr/tickets/${token}`)).toBe("/:locale/tickets/:token");
    expect(routeLabel(`/en/orders/${token}/ticket.pdf`)).toBe("/:locale/orders/:token/ticket.pdf");
    expect(routeLabel("/api/v1/editions/open-cloud-paris-12/registrations")).toBe(
      "/api/v1/editions/:slug/registrations",
    );
    expect(routeLabel("/api/auth/callback/email")).toBe("/api/auth/:nextauth*");
    expect(routeLabel("/en/no/such/page/")).toBe("/:locale/:rest*");
  });

  it("puts Next's assets under one label, and what no route serves under `other`", () => {
    expect(routeLabel("/_next/static/chunks/0a1b2c.js")).toBe("/_next");
    expect(routeLabel("/de/editions/x")).toBe("other");
    expect(routeLabel("/wp-login.php")).toBe("other");
  });
});
