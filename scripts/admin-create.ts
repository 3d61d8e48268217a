// `npm run admin:create -- someone@example.org [--role ORGANISER] [--no-password]`
// Creates (or promotes) a back-office account and prints a generated password, shown only here.
// Uses DATABASE_URL, else the embedded database of `npm start` (running or not).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { upsertUser } from "@/lib/auth/users";
import { ROLES, type Role } from "@/lib/auth/roles";
import { createPrismaClient } from "@/lib/db/prisma";
import { emailAddress } from "@/lib/forms/fields";
import { openScriptDatabase } from "./script-database";

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

const database = await openScriptDatabase({ mustExist: false });
const db = createPrismaClient(database.url, 1);
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
  await database.close();
}
