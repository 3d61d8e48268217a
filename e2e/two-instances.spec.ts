import { randomUUID } from "node:crypto";
import { expect, request as newRequestContext, test } from "@playwright/test";
import { upsertUser } from "@/lib/auth/users";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { startInstances } from "./support/instances";
import { problemOf } from "./support/problem";

// Two instances on one database, started as deploy/guichet@.service starts them (docs/operations.md, "Several
// instances"). The registration challenge is off: 300 proof-of-work solutions would cost minutes, and
// lib/abuse/*.test.ts prove it. Each client is the X-Forwarded-For a proxy would send (TRUSTED_PROXY_HOPS=1).
let cluster: Awaited<ReturnType<typeof startInstances>>;
let db: Db;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startInstances(2, { REGISTRATION_CHALLENGE: "off", REGISTRATIONS_PER_CLIENT_PER_HOUR: "6" });
  db = createPrismaClient(cluster.databaseUrl, 2);
});

test.afterAll(async () => {
  await db?.$disconnect();
  await cluster?.stop();
});

const attendee = (label: string) => ({
  firstName: "Ada",
  lastName: label,
  email: `${label}.${randomUUID().slice(0, 8)}@example.org`,
});

async function register(baseUrl: string, slug: string, body: unknown, client: string) {
  const response = await fetch(`${baseUrl}/api/v1/editions/${slug}/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": client },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("a rush over both instances never oversells, and the counters equal the recount", async () => {
  test.setTimeout(120_000);
  const edition = await createEdition(db, {
    capacity: 120,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  const [a, b] = cluster.instances;
  // Groups of 1 to 3, free and paid, alternately to each instance, each from a client of its own.
  const attempts = Array.from({ length: 300 }, (_, i) => {
    const size = 1 + (i % 3);
    const ticketType = i % 2 === 0 ? "free" : "paid";
    const body =
      size === 1
        ? { ticketType, attendee: attendee(`rush${i}`), locale: "en" }
        : {
            buyer: attendee(`buyer${i}`),
            locale: "en",
            tickets: Array.from({ length: size }, (_, k) => ({ ticketType, attendee: attendee(`rush${i}-${k}`) })),
          };
    return { size, instance: i % 2 === 0 ? a : b, body, client: `10.${Math.floor(i / 250)}.${i % 250}.1` };
  });
  const answers: { size: number; status: number; body: Record<string, unknown> }[] = [];
  let next = 0;
  // 40 at a time.
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      while (next < attempts.length) {
        const attempt = attempts[next++];
        const answer = await register(attempt.instance.baseUrl, edition.slug, attempt.body, attempt.client);
        answers.push({ size: attempt.size, ...answer });
      }
    }),
  );

  expect(answers).toHaveLength(300);
  const refused = answers.filter((answer) => answer.status !== 201);
  for (const answer of refused) expect([answer.status, answer.body.code]).toEqual([409, "sold_out"]);
  expect(refused.length).toBeGreaterThan(0);
  const granted = answers.filter((answer) => answer.status === 201).reduce((sum, answer) => sum + answer.size, 0);
  expect(granted).toBeLessThanOrEqual(120);
  const seats = await db.editionSeats.findUniqueOrThrow({ where: { editionId: edition.id } });
  expect(seats.confirmed + seats.held).toBe(granted);
  expect(await seatCounterDrift(db, edition.id)).toEqual([]);
  const live = await db.ticket.count({
    where: { editionId: edition.id, status: "ACTIVE", order: { status: { in: ["CONFIRMED", "PENDING"] } } },
  });
  expect(live).toBe(granted);
});

test("a session opened on one instance is valid on the other, and signing out on either ends it", async ({ page }) => {
  const email = `admin.${randomUUID().slice(0, 8)}@example.org`;
  const password = `pw-${randomUUID()}`;
  await upsertUser(db, { email, role: "ADMIN", password });
  const [a, b] = cluster.instances;

  await page.goto(`${a.baseUrl}/admin/sign-in`);
  await page.locator("#password-email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Editions" })).toBeVisible();

  await page.goto(`${b.baseUrl}/admin`);
  await expect(page).toHaveURL(`${b.baseUrl}/admin`);
  await expect(page.getByRole("heading", { name: "Editions" })).toBeVisible();

  // The cookie as a client that kept it would send it to A after signing out on B.
  const [cookie] = (await page.context().cookies(a.baseUrl)).filter((c) => c.name === "next-auth.session-token");
  expect(cookie).toBeDefined();
  const kept = await newRequestContext.newContext({
    extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` },
  });
  try {
    expect((await kept.get(`${a.baseUrl}/admin`, { maxRedirects: 0 })).status()).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${b.baseUrl}/admin/sign-in`);
    const afterSignOut = await kept.get(`${a.baseUrl}/admin`, { maxRedirects: 0 });
    expect(afterSignOut.status()).toBe(307);
    expect(afterSignOut.headers().location).toContain("/admin/sign-in");
  } finally {
    await kept.dispose();
  }
});

test("one client's registration limit is shared by both instances", async () => {
  const edition = await createEdition(db, { capacity: 50 });
  const [a, b] = cluster.instances;
  const client = "198.51.100.77";
  const statuses: number[] = [];
  let lastRefusal: Record<string, unknown> | undefined;
  for (const instance of [a, a, a, a, b, b, b, b]) {
    const answer = await register(
      instance.baseUrl,
      edition.slug,
      { ticketType: "free", attendee: attendee("limit"), locale: "en" },
      client,
    );
    statuses.push(answer.status);
    if (answer.status !== 201) lastRefusal = answer.body;
  }
  expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429, 429]);
  expect(lastRefusal).toEqual(problemOf(429, "rate_limited"));
});
