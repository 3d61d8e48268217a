import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { DEMO_EDITION, expect, test } from "./support/database";
import { postServerAction, signInAs, type DemoRole } from "./support/back-office";

// Every server action of the back office, read from the build, so a new action is covered the day
// it is added. Sign-out is open to anyone signed in by design.
type ManifestEntry = { filename: string; exportedName: string; workers: Record<string, unknown> };
const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, ManifestEntry>;
};
const backOfficeActions = Object.entries(manifest.node)
  .filter(([, entry]) => entry.filename.startsWith("app/admin/") && !entry.filename.endsWith("session-actions.ts"))
  .map(([actionId, entry]) => ({
    actionId,
    ...entry,
    adminOnly: /^app\/admin\/(users|invoicing)\//.test(entry.filename),
  }));

// A page that carries the action, made concrete: Next looks the action up in that page's bundle.
function pathFor(entry: ManifestEntry, ids: { slug: string; ticketId: string }) {
  const worker = Object.keys(entry.workers).find((name) => name.startsWith("app/admin/"))!;
  return (
    worker
      .replace(/^app/, "")
      .replace(/\/page$/, "")
      .replace("[slug]", ids.slug)
      .replace("[ticketId]", ids.ticketId)
      .replace("[kind]", "waitlist_joined") || "/"
  );
}

test.describe("the back office refuses whoever may not act", () => {
  test("the build has back-office actions to check", () => {
    expect(backOfficeActions.length).toBeGreaterThanOrEqual(15);
  });

  const callers: { name: string; role: DemoRole | null; refusedEverywhere: boolean }[] = [
    { name: "anonymous (forged session cookie)", role: null, refusedEverywhere: true },
    { name: "check-in staff", role: "CHECKIN_STAFF", refusedEverywhere: true },
    { name: "organiser (admin-only actions)", role: "ORGANISER", refusedEverywhere: false },
  ];

  for (const caller of callers) {
    test(`direct POSTs to server actions as ${caller.name} change nothing`, async ({
      playwright,
      baseURL,
      db,
      newEdition,
    }) => {
      // Without a cookie the proxy would redirect before the action runs; a forged one gets past it.
      const request = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: caller.role ? {} : { Cookie: "next-auth.session-token=forged" },
      });
      if (caller.role) await signInAs(request, caller.role);
      const edition = await newEdition({ capacity: 5 });
      const ticket = { id: randomUUID() };
      const checked = backOfficeActions.filter((action) => caller.refusedEverywhere || action.adminOnly);
      expect(checked.length).toBeGreaterThan(0);
      for (const action of checked) {
        const response = await postServerAction(request, {
          path: pathFor(action, { slug: edition.slug, ticketId: ticket.id }),
          actionId: action.actionId,
          origin: baseURL!,
          fields: {
            editionId: edition.id,
            ticketId: ticket.id,
            status: "CLOSED",
            email: "intruder@example.org",
            role: "ADMIN",
            name: "x",
            userId: randomUUID(),
          },
        });
        const body = await response.text();
        expect(response.status(), `${action.filename} ${action.exportedName}`).toBe(200);
        expect(body, `${action.filename} ${action.exportedName}`).toContain('"message":"forbidden"');
      }
      expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(0);
      expect((await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).status).toBe("OPEN");
      expect(await db.user.count({ where: { email: "intruder@example.org" } })).toBe(0);
      await request.dispose();
    });
  }

  test("the same POST from an organiser does act (the check above can fail)", async ({
    playwright,
    baseURL,
    db,
    newEdition,
  }) => {
    const edition = await newEdition({ capacity: 5, status: "DRAFT" });
    const action = backOfficeActions.find((entry) => entry.exportedName === "setEditionStatusAction")!;
    const request = await playwright.request.newContext({ baseURL });
    await signInAs(request, "ORGANISER");
    const response = await postServerAction(request, {
      path: `/admin/editions/${edition.slug}/settings`,
      actionId: action.actionId,
      origin: baseURL!,
      fields: { editionId: edition.id, status: "OPEN" },
    });
    const headers = response.headers();
    expect(headers["x-action-redirect"] ?? headers.location).toContain("done=status_OPEN");
    expect((await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).status).toBe("OPEN");
    await request.dispose();
  });

  async function statusOf(request: APIRequestContext, path: string) {
    return (await request.get(path, { maxRedirects: 0 })).status();
  }

  test("downloads answer 401 without a session and 403 to check-in staff", async ({ playwright, baseURL }) => {
    const downloads = [
      `/admin/editions/${DEMO_EDITION}/attendees/export?format=csv`,
      `/admin/editions/${DEMO_EDITION}/attendees/export?format=xlsx`,
      `/admin/editions/${DEMO_EDITION}/attendees/badges?layout=a6`,
      "/admin/growth/export?part=summary",
      "/admin/growth/export?part=curves",
    ];
    const forged = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Cookie: "next-auth.session-token=forged" },
    });
    const staff = await playwright.request.newContext({ baseURL });
    await signInAs(staff, "CHECKIN_STAFF");
    const organiser = await playwright.request.newContext({ baseURL });
    await signInAs(organiser, "ORGANISER");
    for (const path of downloads) {
      expect(await statusOf(forged, path), path).toBe(401);
      expect(await statusOf(staff, path), path).toBe(403);
      expect(await statusOf(organiser, path), path).toBe(200);
    }
    await Promise.all([forged, staff, organiser].map((context) => context.dispose()));
  });

  test("pages send anonymous visitors to sign in and staff to the refusal page", async ({ page, context }) => {
    for (const path of ["/admin", `/admin/editions/${DEMO_EDITION}/attendees`, "/admin/users", "/admin/api-tokens"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/admin\/sign-in\?callbackUrl=/);
    }
    await context.addCookies([{ name: "next-auth.session-token", value: "forged", url: page.url() }]);
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/admin\/sign-in$/);
    await signInAs(context, "CHECKIN_STAFF");
    for (const path of ["/admin", `/admin/editions/${DEMO_EDITION}`, "/admin/users", "/admin/transfers"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/admin\/forbidden$/);
    }
  });
});
