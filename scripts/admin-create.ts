// `npm run admin:create -- someone@example.org [--role ORGANISER] [--no-password]`
// Creates (or promotes) a back-office account and prints a generated password, shown only here.
// Uses DATABASE_URL, else the embedded database of `npm start` (running or not).
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { upsertUser } from "@/lib/auth/users";
import { ROLES, type Role } from "@/lib/auth/roles";
import { createPrismaClient } from "@/lib/db/prisma";
import { emailAddress } from "@/lib/forms/fields";
import { startEmbeddedPostgres, type RunningPostgres } from "@/devtools/postgres/embedded-postgres";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { role: { type: "string", default: "ADMIN" }, "no-password": { type: "boolean", default: false } },
});
const email = positionals[0];
const role = values.role?.toUpperCase() as Role;
if (email && !emailAddress.safeParse(email).success) {
  console.error(`Not an email address: ${email}`);
  process.exit(2);
}
if (!email || !ROLES.includes(role)) {
  console.error(`Usage: npm run admin:create -- <email> [--role ${ROLES.join("|")}] [--no-password]`);
  process.exit(2);
}

const EMBEDDED_PORT = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
const EMBEDDED_URL = `postgresql://guichet:guichet@127.0.0.1:${EMBEDDED_PORT}/guichet`;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

let embedded: RunningPostgres | undefined;
let url = process.env.DATABASE_URL;
if (!url) {
  if (!(await reachable(EMBEDDED_URL))) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data", "postgres"),
      port: EMBEDDED_PORT,
      persistent: true,
      durability: "durable",
    });
  }
  url = EMBEDDED_URL;
}

const db = createPrismaClient(url, 1);
try {
  const password = values["no-password"] ? undefined : randomBytes(12).toString("base64url");
  const user = await upsertUser(db, { email, role, password });
  console.log(`${user.email} is now ${user.role}.`);
  console.log(
    password ? `Password (shown once; change it under Users): ${password}` : "No password: sign in with an email link.",
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await embedded?.stop();
}
