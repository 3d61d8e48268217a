import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";

/**
 * Another instance of the build under test, on the same database, with other settings (the suite's
 * own instance runs with the registration defences lifted). Ready once it answers.
 */
export async function startSecondInstance(settings: Record<string, string>) {
  const port = await findFreePort();
  const baseUrl = `http://localhost:${port}`;
  mkdirSync("test-reports", { recursive: true });
  const output = openSync(path.join("test-reports", `server-${port}.log`), "a");
  const app = spawn(
    process.execPath,
    [path.join("node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)],
    {
      env: { ...process.env, APP_URL: baseUrl, NEXT_TELEMETRY_DISABLED: "1", ...settings },
      // Read with the suite's own server output after the run (scripts/log-check.ts).
      stdio: ["ignore", output, output],
    },
  );
  // The child holds its own copy.
  closeSync(output);
  const ready = async () => (await fetch(`${baseUrl}/api/v1/editions/none`).catch(() => null))?.status;
  await expect.poll(ready, { timeout: 30_000 }).toBe(404);
  return { port, baseUrl, stop: () => app.kill("SIGTERM") };
}
