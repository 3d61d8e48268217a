import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { fillAttendee, LABELS } from "./support/registration-form";
import { startSecondInstance } from "./support/second-instance";
import { problemOf } from "./support/problem";

// The suite's app runs with the challenge off; this spec starts a second instance of the same
// build, on the same database, with the challenge on, as production runs.
let instance: Awaited<ReturnType<typeof startSecondInstance>>;

test.beforeAll(async () => {
  instance = await startSecondInstance({
    REGISTRATION_CHALLENGE: "on",
    ALTCHA_HMAC_KEY: randomBytes(32).toString("base64url"),
    // The other specs' registrations come from this same address and database: only the challenge is tested here.
    REGISTRATIONS_PER_CLIENT_PER_HOUR: "100000",
    UNPAID_HOLDS_PER_CLIENT: "100000",
  });
});

test.afterAll(() => {
  instance?.stop();
});

async function solved(): Promise<string> {
  const challenge = (await (await fetch(`${instance.baseUrl}/api/v1/registration-challenge`)).json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

test("the API refuses a registration without a solved challenge and takes one with it, once", async ({ request }) => {
  const url = `${instance.baseUrl}/api/v1/editions/${DEMO_EDITION}/registrations`;
  const body = (label: string) => ({
    ticketType: "community",
    attendee: { firstName: "Pow", lastName: "Api", email: uniqueEmail(label) },
    answers: { coc: true },
    locale: "en",
  });
  const without = await request.post(url, { data: body("pow-none") });
  expect(without.status()).toBe(403);
  expect(await without.json()).toEqual(problemOf(403, "challenge_failed"));
  const forged = await request.post(url, {
    data: body("pow-forged"),
    headers: { "x-altcha": Buffer.from('{"challenge":{},"solution":{}}').toString("base64") },
  });
  expect(forged.status()).toBe(403);

  const payload = await solved();
  const accepted = await request.post(url, { data: body("pow-ok"), headers: { "x-altcha": payload } });
  expect(accepted.status()).toBe(201);
  const replayed = await request.post(url, { data: { ...body("pow-replay"), altcha: payload } });
  expect(replayed.status()).toBe(403);
});

test("a person registers through the form; the browser solves the challenge offline (fr)", async ({ page }) => {
  // The proof of work takes up to 20 million rounds: on two cores shared with the app and another browser,
  // the widget can need well over the usual 30 s. This bounds a hang; it measures nothing.
  test.setTimeout(120_000);
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  // Nothing but this app answers: the widget needs no third party.
  await page.route(
    (url) => url.port !== String(instance.port),
    (route) => route.abort(),
  );
  // The page's scripts arrive late, as on a slow phone: the person is in the form before the widget has loaded,
  // and it must start all the same (not wait for another focus).
  await page.route(/\/_next\/static\/chunks\//, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.goto(`${instance.baseUrl}/fr/editions/${DEMO_EDITION}/register?ticket=community`, {
    waitUntil: "domcontentloaded",
  });
  const check = page.getByRole("group", { name: "Vérification anti-robot" });
  await expect(check).toBeVisible();
  await fillAttendee(page, "fr", { firstName: "Paul", lastName: "Preuve", email: uniqueEmail("pow-form") });
  await page.getByRole("checkbox", { name: LABELS.fr.coc }).check();
  // Typing in the form starts the calculation (auto="onfocus"): nothing to click.
  await expect(check.getByText("Vérifié")).toBeVisible({ timeout: 100_000 });
  const { violations: axe } = await new AxeBuilder({ page }).include(".proof-of-work").analyze();
  expect(
    axe
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => violation.id),
  ).toEqual([]);
  await page.locator(".proof-of-work").screenshot({ path: test.info().outputPath("proof-of-work.png") });
  await page.getByRole("button", { name: LABELS.fr.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
  expect(violations).toEqual([]);
});
