import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";

/**
 * Another instance of the build under test, on the same database, with other settings (the suite's
 * own instance runs with the registration defences lifted). Ready once it answers. `output()` is what it has printed
 * so far (its log lines); `exited` resolves to its exit code.
 */
export async function startSecondInstance(settings: Record<string, string>) {
  const port = await findFreePort();
  const baseUrl = `http://localhost:${port}`;
  mkdirSync("test-reports", { recursive: true });
  const app = spawn(
    process.execPath,
    [path.join("node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)],
    {
      env: { ...process.env, APP_URL: baseUrl, NEXT_TELEMETRY_DISABLED: "1", ...settings },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  // Kept for the test (`output()`) and written where the suite's log check reads it after the run.
  let output = "";
  const file = createWriteStream(path.join("test-reports", `server-${port}.log`), { flags: "a" });
  for (const stream of [app.stdout, app.stderr]) {
    stream.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      file.write(chunk);
    });
  }
  const exited = new Promise<number | null>((resolve) => app.on("exit", (code) => resolve(code)));
  const ready = async () => (await fetch(`${baseUrl}/api/v1/editions/none`).catch(() => null))?.status;
  await expect.poll(ready, { timeout: 30_000 }).toBe(404);
  return { port, baseUrl, output: () => output, exited, stop: () => app.kill("SIGTERM") };
}
