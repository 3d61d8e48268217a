// `npm test`: every test, unit (Vitest) then end-to-end (Playwright in Chromium), against one
// embedded Postgres started here. Ends with one line "tests: N passed, M failed" counted from the
// runners' JSON reports, and exits non-zero on any failure.
import { randomBytes } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cloneTemplateDatabase, startTestPostgres } from "@/devtools/testing/test-postgres";
import { createPrismaClient } from "@/lib/db/prisma";
import { seedDemoData } from "@/prisma/seed";
import { startLocalStripeForApp } from "@/devtools/local-stripe/start-for-app";
import { generateTicketSigningKey } from "@/lib/tickets/codes";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { checkServerLogs } from "./log-check";
import { buildIfStale } from "./next-build";

// Playwright empties test-results/ when it starts: the runners' JSON reports live apart.
const REPORTS = path.resolve("test-reports");
const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
const log = (line: string) => console.log(`[test] ${line}`);

function findChromium(): string | undefined {
  return CHROMIUM_CANDIDATES.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));
}

// Playwright's own browser download cannot work offline; Debian's chromium can be installed.
function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    throw new Error(
      "Chromium is needed for the end-to-end tests. " +
        "Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH.",
    );
  }
  log("Chromium not found: installing Debian's chromium (apt-get)…");
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "chromium"],
  ]) {
    const result = spawnSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0)
      throw new Error(`apt-get ${args.join(" ")} failed: install chromium by hand or set CHROMIUM_PATH.`);
  }
  const installed = findChromium();
  if (!installed) throw new Error("chromium was installed but not found in /usr/bin: set CHROMIUM_PATH.");
  return installed;
}

// The local Stripe stand-in lives in this process and must keep answering while Playwright runs, and
// Postgres's log must keep being read.
function runAsync(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

type Tally = { passed: number; failed: number };

function vitestTally(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const report = JSON.parse(readFileSync(file, "utf8"));
  // A file that fails to load has no tests to count: count it as one failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (r: { status: string; assertionResults: unknown[] }) => r.status === "failed" && r.assertionResults.length === 0,
  ).length;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles };
}

function playwrightTally(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const { stats, errors } = JSON.parse(readFileSync(file, "utf8"));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected + (errors?.length ?? 0) };
}

// The servers' output over the e2e run, as one more test (scripts/log-check.ts): JSON lines, nothing personal.
function serverLogTally(): Tally {
  const { files, lines, problems } = checkServerLogs(REPORTS);
  for (const problem of problems.slice(0, 50)) log(`server log: ${problem}`);
  if (problems.length > 50) log(`server log: … and ${problems.length - 50} more`);
  const verdict = problems.length === 0 ? "passed" : `failed (${problems.length} problems)`;
  log(`server logs check: ${verdict}, ${lines} lines in ${files} files (test-reports/server*.log)`);
  return problems.length === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

async function main(): Promise<number> {
  rmSync(REPORTS, { recursive: true, force: true });
  mkdirSync(REPORTS, { recursive: true });
  const chromium = ensureChromium();
  log("Starting Postgres and migrating the template database…");
  const postgres = await startTestPostgres();
  try {
    const only = process.argv[2];
    const tallies: Tally[] = [];
    const common = { GUICHET_TEST_PG_ADMIN_URL: postgres.adminUrl, NEXT_TELEMETRY_DISABLED: "1" };

    if (only !== "e2e") {
      const vitestReport = path.join(REPORTS, "vitest.json");
      // Not spawnSync: Postgres would block once its unread log filled the pipe (each refused seat claim logs).
      await runAsync(
        process.execPath,
        [
          "node_modules/vitest/vitest.mjs",
          "run",
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${vitestReport}`,
        ],
        common,
      );
      tallies.push(vitestTally(vitestReport));
    }

    if (only !== "unit") {
      const e2eUrl = await cloneTemplateDatabase(postgres.adminUrl, "guichet_e2e");
      const seedClient = createPrismaClient(e2eUrl, 1);
      await seedDemoData(seedClient);
      await seedClient.$disconnect();
      buildIfStale(log);
      const e2ePort = Number(process.env.E2E_PORT ?? 3100);
      const { local: localStripe, env: stripeEnv } = await startLocalStripeForApp({ appPort: e2ePort });
      // A real SMTP server; each message lands as a .eml file the specs read, as a person reads their inbox.
      const mailDir = path.join(REPORTS, "mail");
      mkdirSync(mailDir, { recursive: true });
      let received = 0;
      const smtp = await startSmtpCapture((raw) =>
        writeFileSync(path.join(mailDir, `${String(++received).padStart(4, "0")}.eml`), raw),
      );
      const playwrightReport = path.join(REPORTS, "playwright.json");
      try {
        // `npm test -- e2e <filter…>` runs only the matching specs (Playwright's own filters).
        await runAsync(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(3)], {
          ...common,
          ...stripeEnv,
          DATABASE_URL: e2eUrl,
          TICKET_SIGNING_KEY: generateTicketSigningKey(),
          AUTH_SECRET: randomBytes(32).toString("base64url"),
          SMTP_URL: smtp.url,
          MAIL_CAPTURE_DIR: mailDir,
          E2E_PORT: String(e2ePort),
          CHROMIUM_PATH: chromium,
          PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
        });
      } finally {
        await localStripe.stop();
        await smtp.stop();
      }
      tallies.push(playwrightTally(playwrightReport));
      tallies.push(serverLogTally());
    }

    const total = tallies.reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed }), {
      passed: 0,
      failed: 0,
    });
    console.log(`tests: ${total.passed} passed, ${total.failed} failed`);
    return total.failed > 0 || total.passed === 0 ? 1 : 0;
  } finally {
    await postgres.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[test] ${error instanceof Error ? error.message : error}`);
    console.log("tests: 0 passed, 1 failed");
    process.exit(1);
  },
);
