import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const NEXT_START = `node node_modules/next/dist/bin/next start --port ${PORT}`;
const SERVER_LOG = path.join("test-reports", "server.log");
// The app's clock offset (lib/time/clock.ts), moved by e2e/support/clock.ts; the workers read it from here too.
process.env.TEST_CLOCK_FILE ??= path.resolve("test-results", "test-clock");
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// Run through `npm test`, which starts Postgres, seeds the e2e database and builds the app first.
export default defineConfig({
  testDir: "e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 30_000,
  reporter: [["list"], ["json"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /phone/ },
    {
      name: "phone",
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
      testMatch: /phone/,
    },
  ],
  webServer: {
    // Its output goes to a file that scripts/log-check.ts reads after the run (no line may hold personal data).
    command: `mkdir -p test-reports && exec ${NEXT_START} >> ${SERVER_LOG} 2>&1`,
    url: `http://localhost:${PORT}/api/v1/editions/open-cloud-paris-12`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: `http://localhost:${PORT}`,
      STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY ?? "",
      STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? "",
      STRIPE_API_URL: process.env.STRIPE_API_URL ?? "",
      TICKET_SIGNING_KEY: process.env.TICKET_SIGNING_KEY ?? "",
      SMTP_URL: process.env.SMTP_URL ?? "",
      AUTH_SECRET: process.env.AUTH_SECRET ?? "",
      // The specs register many people from one address, and a browser solving proof-of-work only
      // slows them: lib/abuse/*.test.ts prove both defences with the challenge on.
      REGISTRATION_CHALLENGE: "off",
      REGISTRATIONS_PER_CLIENT_PER_HOUR: "100000",
      UNPAID_HOLDS_PER_CLIENT: "100000",
      // Specs change editions straight in the database, behind the instance's back: lib/editions/edition-cache.test.ts
      // proves the cache.
      EDITION_CACHE_SECONDS: "0",
      // A block released at its date is seen within two seconds (e2e/vouchers-blocks.spec.ts).
      BLOCK_RELEASE_SECONDS: "2",
      // A lapsed offer passes to the next entry within two seconds (e2e/waiting-list-lapse.spec.ts).
      WAITLIST_SWEEP_SECONDS: "2",
      // A scheduled message or a reminder leaves within two seconds of its time (e2e/messages.spec.ts, reminders).
      MESSAGE_SWEEP_SECONDS: "2",
      TEST_CLOCK_FILE: process.env.TEST_CLOCK_FILE,
    },
  },
});
