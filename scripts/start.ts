// `npm start` (and `npm run dev`): one command from a fresh clone to a running app.
// Without DATABASE_URL it runs an embedded Postgres with its data in .data/postgres and seeds
// demo data into an empty database; with DATABASE_URL it uses that database and seeds nothing.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type RunningPostgres } from "@/devtools/postgres/embedded-postgres";
import { migrateDeploy, pendingMigrations } from "@/devtools/postgres/migrate";
import { createPrismaClient } from "@/lib/db/prisma";
import { parseEnv } from "@/lib/env";
import { startLocalStripeForApp } from "@/devtools/local-stripe/start-for-app";
import { generateTicketSigningKey } from "@/lib/tickets/codes";
import { DEMO_ACCOUNTS, seedDemoData } from "@/prisma/seed";
import { startMailCatcher } from "@/devtools/mail-catcher";
import { buildIfStale, spawnNext } from "./next-build";

const mode = process.argv.includes("--dev") ? "dev" : "start";
const port = Number(process.env.PORT ?? 3000);
const log = (line: string) => console.log(`[guichet] ${line}`);

// Tickets and sessions stay valid across restarts only if their keys do: keep generated ones with the data.
function loadOrCreateSecret(name: string, file: string, generate: () => string, why: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, generate(), { mode: 0o600 });
  log(`${name} is not set: generated one in ${file} (${why})`);
  return readFileSync(file, "utf8");
}

async function ensureDatabase(postgres: RunningPostgres, name: string) {
  const client = new pg.Client({ connectionString: postgres.urlFor("postgres") });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
}

async function main() {
  // Settings from .env count too (they never override the real environment).
  if (existsSync(".env")) process.loadEnvFile(".env");
  // Links in emails and sign-in redirects are built from APP_URL: by default, where this serves.
  process.env.APP_URL ||= `http://localhost:${port}`;
  let embedded: RunningPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    const dataDir = path.resolve(".data", "postgres");
    const embeddedPort = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
    log(`DATABASE_URL is not set: starting the embedded Postgres (data in ${dataDir}, port ${embeddedPort})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: embeddedPort, persistent: true, durability: "durable" });
    await ensureDatabase(embedded, "guichet");
    process.env.DATABASE_URL = embedded.urlFor("guichet");
  }
  let stopLocalStripe: (() => Promise<void>) | undefined;
  if (!process.env.STRIPE_SECRET_KEY) {
    const { local, env: stripeEnv } = await startLocalStripeForApp({
      appPort: port,
      port: Number(process.env.LOCAL_STRIPE_PORT ?? 12111),
      log,
    });
    Object.assign(process.env, stripeEnv);
    stopLocalStripe = () => local.stop();
    log(
      `STRIPE_SECRET_KEY is not set: payments go to the local Stripe stand-in at ${local.url} ` +
        "(test mode; the card 4242 4242 4242 4242 pays)",
    );
  }
  let stopMailCatcher: (() => Promise<void>) | undefined;
  if (!process.env.SMTP_URL) {
    const catcher = await startMailCatcher({
      smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
      webPort: Number(process.env.MAIL_CATCHER_WEB_PORT ?? 1080),
      mailDir: path.resolve(".data", "mail"),
    });
    process.env.SMTP_URL = catcher.smtpUrl;
    stopMailCatcher = catcher.stop;
    log(`SMTP_URL is not set: emails go to a local mail catcher; read them at ${catcher.webUrl}`);
  }
  if (!process.env.TICKET_SIGNING_KEY) {
    process.env.TICKET_SIGNING_KEY = loadOrCreateSecret(
      "TICKET_SIGNING_KEY",
      path.resolve(".data", "ticket-signing-key.pem"),
      generateTicketSigningKey,
      "keep it: tickets are signed with it",
    );
  }
  if (!process.env.AUTH_SECRET) {
    process.env.AUTH_SECRET = loadOrCreateSecret(
      "AUTH_SECRET",
      path.resolve(".data", "auth-secret"),
      () => randomBytes(32).toString("base64url"),
      "keep it: back-office sessions are signed with it",
    );
  }
  if (!process.env.ALTCHA_HMAC_KEY) {
    const file = path.resolve(".data", "altcha-hmac-key");
    const generate = () => randomBytes(32).toString("base64url");
    process.env.ALTCHA_HMAC_KEY = loadOrCreateSecret(
      "ALTCHA_HMAC_KEY",
      file,
      generate,
      "it signs the registration challenges",
    );
  }
  const env = parseEnv();

  const pending = await pendingMigrations(env.DATABASE_URL);
  if (pending.length > 0) {
    log(`Applying ${pending.length} migration(s): ${pending.join(", ")}`);
    await migrateDeploy(env.DATABASE_URL, (line) => log(line));
  }
  if (embedded) {
    const db = createPrismaClient(env.DATABASE_URL, 1);
    if ((await seedDemoData(db)).created) log("Empty database: demo editions and accounts seeded.");
    const demoAccounts = await db.user.findMany({
      where: { email: { in: DEMO_ACCOUNTS.map((account) => account.email) } },
      select: { email: true },
    });
    await db.$disconnect();
    if (demoAccounts.length > 0) {
      log(`Demo accounts (embedded demo database only) at http://localhost:${port}/admin:`);
      for (const account of DEMO_ACCOUNTS.filter((demo) => demoAccounts.some((found) => found.email === demo.email))) {
        log(`  ${account.role.padEnd(13)} ${account.email} / ${account.password}`);
      }
    }
  }

  if (mode === "start") buildIfStale(log);
  const next = spawnNext(mode, port, process.env);
  log(`Guichet: http://localhost:${port}`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (next.exitCode === null) next.kill("SIGTERM");
    await stopLocalStripe?.().catch(() => {});
    await stopMailCatcher?.().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(code);
  };
  next.on("exit", (code) => void stop(code ?? 0));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
}

main().catch((error) => {
  console.error(`[guichet] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
