import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { expect } from "@playwright/test";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { cloneTemplateDatabase, dropDatabase } from "@/devtools/testing/test-postgres";

const UNIT_FILE = path.resolve("deploy", "guichet@.service");
const REPORTS = path.resolve("test-reports");
const STOP_GRACE_MS = 10_000;

/** The unit's `Environment=` and `ExecStart=` lines, with `%i` (the port) and `%H` (the host name) filled in. */
export function unitCommand(port: number): { env: Record<string, string>; command: string; args: string[] } {
  const lines = readFileSync(UNIT_FILE, "utf8").split("\n");
  const fill = (text: string) => text.replaceAll("%i", String(port)).replaceAll("%H", hostname());
  const values = (key: string) =>
    lines.filter((line) => line.startsWith(`${key}=`)).map((line) => fill(line.slice(key.length + 1).trim()));
  const env = Object.fromEntries(
    values("Environment")
      .flatMap((line) => line.split(/\s+/))
      .map((assignment) => [
        assignment.slice(0, assignment.indexOf("=")),
        assignment.slice(assignment.indexOf("=") + 1),
      ]),
  );
  const [execStart] = values("ExecStart");
  if (!execStart) throw new Error(`${UNIT_FILE} has no ExecStart line`);
  const [command, ...args] = execStart.split(/\s+/);
  return { env, command, args };
}

type Env = Record<string, string | undefined>;

/** Runs a command to its end, as a shell would; its output (stdout and stderr) is the answer, or the error's text. */
export function run(command: string, args: string[], env: Env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

/** `output()` is what the instance has printed so far (its log lines); `exited` resolves to its exit code. */
export type Instance = {
  port: number;
  baseUrl: string;
  logFile: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
};

/** SIGTERM, as systemd stops the unit; SIGKILL if it has not exited 10 s later. */
async function stopInstance(instance: Instance): Promise<void> {
  const child = instance.process;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await instance.exited;
  clearTimeout(killer);
}

/**
 * `n` instances of the build under test started as production starts them (docs/operations.md, "Several
 * instances"): a database of their own cloned from the migrated template, `npm run db:migrate` against it, then each
 * instance with the ExecStart and Environment of deploy/guichet@.service on a free port, the secrets an environment
 * file would give (the same on every instance), one SMTP capture, the local Stripe of the e2e run, fast sweeps, and
 * `settings` last. Ready once every /api/ready answers 200; each one's output in test-reports/server-<port>.log.
 */
export async function startInstances(n: number, settings: Record<string, string> = {}) {
  const adminUrl = process.env.GUICHET_TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error("GUICHET_TEST_PG_ADMIN_URL is not set: run the e2e tests through `npm test`.");
  const database = `guichet_instances_${randomUUID().replaceAll("-", "")}`;
  const databaseUrl = await cloneTemplateDatabase(adminUrl, database);
  const shell: Env = { PATH: process.env.PATH, HOME: process.env.HOME };
  await run("npm", ["run", "db:migrate"], { ...shell, DATABASE_URL: databaseUrl });

  const smtp = await startSmtpCapture();
  const ports = await Promise.all(Array.from({ length: n }, () => findFreePort()));
  // One public address, as behind the balancer: links and sign-in redirects name it, whichever instance answers.
  const appUrl = `http://127.0.0.1:${ports[0]}`;
  // What /etc/guichet/guichet.env holds: the same file on every host.
  const environmentFile: Env = {
    DATABASE_URL: databaseUrl,
    APP_URL: appUrl,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    TICKET_SIGNING_KEY: process.env.TICKET_SIGNING_KEY,
    ALTCHA_HMAC_KEY: randomBytes(32).toString("base64url"),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET,
    STRIPE_API_URL: process.env.STRIPE_API_URL,
    SMTP_URL: smtp.url,
    TRUSTED_PROXY_HOPS: "1",
    HOLD_SWEEP_SECONDS: "1",
    SLOW_SWEEP_SECONDS: "1",
    MESSAGE_SWEEP_SECONDS: "1",
  };
  mkdirSync(REPORTS, { recursive: true });
  const instances: Instance[] = ports.map((port) => {
    const unit = unitCommand(port);
    const logFile = path.join(REPORTS, `server-${port}.log`);
    const log = createWriteStream(logFile);
    const child = spawn(unit.command, unit.args, {
      env: { ...shell, ...environmentFile, ...unit.env, ...settings } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        log.write(chunk);
      });
    }
    // "close", not "exit": by then the output is all read.
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    return { port, baseUrl: `http://127.0.0.1:${port}`, logFile, process: child, output: () => output, exited };
  });

  const stop = async () => {
    await Promise.all(instances.map(stopInstance));
    await smtp.stop();
    await dropDatabase(adminUrl, database);
  };
  try {
    for (const instance of instances) {
      const ready = async () => {
        if (instance.process.exitCode !== null) throw new Error(readFileSync(instance.logFile, "utf8"));
        return (await fetch(`${instance.baseUrl}/api/ready`).catch(() => null))?.status;
      };
      await expect.poll(ready, { timeout: 60_000, message: `instance on ${instance.port} ready` }).toBe(200);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { instances, databaseUrl, appUrl, smtp, stop };
}
