import { signInAs } from "./support/back-office";
import { DEMO_EDITION, expect, test } from "./support/database";

const PAGES = [
  "/fr",
  `/en/editions/${DEMO_EDITION}`,
  `/en/editions/${DEMO_EDITION}/register`,
  "/admin/sign-in",
  "/checkin",
];

test("every page has a nonce policy its own scripts carry; every response the static headers", async ({ request }) => {
  for (const path of PAGES) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const headers = response.headers();
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1];
    expect(nonce, `${path}: ${headers["content-security-policy"]}`).toBeTruthy();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("'strict-dynamic'");
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "x-frame-options": "DENY",
    });
    // Served over http here: HSTS is only sent when APP_URL is https.
    expect(headers["strict-transport-security"]).toBeUndefined();
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
  }

  const api = await request.get(`/api/v1/editions/${DEMO_EDITION}`);
  expect(api.headers()).toMatchObject({
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
  });
  const page = await (await request.get("/fr")).text();
  const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page)?.[1];
  expect(asset).toBeTruthy();
  expect((await request.get(asset!)).headers()).toMatchObject({
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
  });
});

test("pages run under the policy without a single violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`/en/editions/${DEMO_EDITION}`);
  // Hydrated: the client-side language switch and forms work.
  await page.getByRole("link", { name: "Register: Community (students, job seekers)" }).click();
  await expect(page.getByRole("radio", { name: /Community/ })).toBeChecked();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByText("Some fields need your attention: see the messages below.")).toBeVisible();
  await page.goto("/admin/sign-in");
  await page.goto("/checkin");
  expect(violations).toEqual([]);
});

test("the scanner runs under the policy: service worker, offline store and signature checks", async ({
  page,
  context,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/checkin/${DEMO_EDITION}`);
  await expect(page.getByText(/Online · synced at/)).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Once the worker controls the page, the reload puts the page in its cache.
  await page.reload();
  await expect(page.getByText(/Online · synced at/)).toBeVisible();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(/^Offline: entries are checked on this device · synced at/)).toBeVisible();
  await context.setOffline(false);
  expect(violations).toEqual([]);
});
