import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { expect, test } from "@playwright/test";
import { createPrismaClient } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { dropDatabase, withClient } from "@/devtools/testing/test-postgres";
import { generateTicketSigningKey } from "@/lib/tickets/codes";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { run } from "./support/instances";

// The README's "Running it in production", step by step, on a database nothing else has touched:
// `npm run db:migrate`, then `next start` (from the build `npm test` made) with the recipe's
// settings only. No `npm start`, no test harness installs anything on the way.
test("the production recipe: a registration's email reaches the SMTP server", async () => {
  test.setTimeout(120_000);
  const adminUrl = process.env.GUICHET_TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error("GUICHET_TEST_PG_ADMIN_URL is not set: run the e2e tests through `npm test`.");
  const name = `guichet_recipe_${process.pid}_${Date.now().toString(36)}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const smtp = await startSmtpCapture();
  const port = await findFreePort();
  const metricsToken = randomBytes(32).toString("base64url");
  let server: ChildProcess | undefined;
  let serverOutput = "";
  try {
    const shell = { PATH: process.env.PATH, HOME: process.env.HOME };
    await run("npm", ["run", "db:migrate"], { ...shell, DATABASE_URL: databaseUrl });

    const db = createPrismaClient(databaseUrl, 1);
    const edition = await createEdition(db, { capacity: 10 });
    await db.$disconnect();

    server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start"], {
      env: {
        ...shell,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        APP_URL: `http://localhost:${port}`,
        // Stripe cannot be reached from here: the recipe's keys, pointed at the local stand-in.
        STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET,
        STRIPE_API_URL: process.env.STRIPE_API_URL,
        SMTP_URL: smtp.url,
        MAIL_FROM: "Open Cloud Paris <tickets@example.org>",
        TICKET_SIGNING_KEY: generateTicketSigningKey(),
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        ALTCHA_HMAC_KEY: randomBytes(32).toString("base64url"),
        METRICS_TOKEN: metricsToken,
      } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk) => (serverOutput += chunk));
    server.stderr!.on("data", (chunk) => (serverOutput += chunk));
    const base = `http://localhost:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/api/v1/editions/${edition.slug}`).catch(() => null))?.status, {
        timeout: 30_000,
        message: serverOutput,
      })
      .toBe(200);

    // The load balancer's two questions: alive, and ready once the instance has installed the job queue at start.
    const health = await fetch(`${base}/api/health`);
    expect(health.headers.get("cache-control")).toBe("no-store");
    expect(await health.json()).toEqual({ status: "ok", instance: expect.stringMatching(/^.+:\d+$/) });
    await expect.poll(async () => (await fetch(`${base}/api/ready`)).status, { timeout: 30_000 }).toBe(200);
    const ready = await fetch(`${base}/api/ready`);
    expect(ready.headers.get("cache-control")).toBe("no-store");
    expect(await ready.json()).toEqual({ status: "ready", database: "ok", migrations: "current", queue: "ok" });

    // Production keeps the registration challenge on: solve it, as the form does in a browser.
    const challenge = (await (await fetch(`${base}/api/v1/registration-challenge`)).json()) as Challenge;
    const solution = await solveChallenge({ challenge, deriveKey });
    const email = `recipe.${Date.now().toString(36)}@example.org`;
    const created = await fetch(`${base}/api/v1/editions/${edition.slug}/registrations`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-altcha": Buffer.from(JSON.stringify({ challenge, solution })).toString("base64"),
      },
      body: JSON.stringify({
        ticketType: "free",
        attendee: { firstName: "Ada", lastName: "Lovelace", email },
        locale: "en",
      }),
    });
    expect(created.status).toBe(201);
    const [mail] = await smtp.waitForMessages(1, 30_000).catch((error) => {
      throw new Error(`${error.message}\nserver output:\n${serverOutput}`);
    });
    expect(mail.subject).toBe(`Your ticket for ${edition.nameEn}`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(email);
    expect(mail.text).toContain(`http://localhost:${port}/en/orders/`);

    // Prometheus's scrape: refused without the token, every metric with it, the registration counted.
    const scrape = (authorization?: string) =>
      fetch(`${base}/api/metrics`, { headers: authorization ? { authorization } : {} });
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${metricsToken.slice(1)}`)).status).toBe(401);
    const scraped = await scrape(`Bearer ${metricsToken}`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(scraped.headers.get("cache-control")).toBe("no-store");
    const metrics = await scraped.text();
    for (const name of [
      "guichet_registrations_total",
      "guichet_seats_left",
      "guichet_holds",
      "guichet_webhook_duration_seconds",
      "guichet_email_queue_depth",
      "guichet_emails_total",
      "guichet_checkin_scans_total",
      "guichet_http_request_duration_seconds",
      "guichet_sweep_duration_seconds",
      "guichet_refunds_pending",
      "process_cpu_seconds_total",
    ]) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
    expect(metrics).toContain(`guichet_registrations_total{edition="${edition.slug}",outcome="placed"} 1`);
    expect(metrics).toContain(`guichet_seats_left{edition="${edition.slug}"} 9`);

    // A queue gone: the balancer stops routing to this instance within a second.
    await withClient(databaseUrl, (client) => client.query(`DELETE FROM pgboss.queue WHERE name = 'email.bulk'`));
    await expect.poll(async () => (await fetch(`${base}/api/ready`)).status, { timeout: 10_000 }).toBe(503);
    expect(await (await fetch(`${base}/api/ready`)).json()).toEqual({
      status: "not_ready",
      database: "ok",
      migrations: "current",
      queue: "missing",
    });
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    await smtp.stop();
    await dropDatabase(adminUrl, name);
  }
});
