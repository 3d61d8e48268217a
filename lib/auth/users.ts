import { emailAddress } from "@/lib/forms/fields";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { hashPassword } from "./passwords";
import { ROLES, type Role } from "./roles";

export type BackOfficeUser = { id: string; email: string; name: string | null; role: Role };

/** The account that may sign in with this address: none when unknown or disabled. */
export async function findActiveUser(
  db: Pick<Db, "user">,
  email: string,
): Promise<(BackOfficeUser & { passwordHash: string | null }) | null> {
  const parsed = emailAddress.safeParse(email);
  if (!parsed.success) return null;
  return db.user.findFirst({
    where: { email: parsed.data, disabledAt: null },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
}

/**
 * Creates the account, or updates the role (and password, when given) of an existing one: what
 * `npm run admin:create` and the demo data use. A disabled account is enabled again.
 */
export async function upsertUser(
  db: Pick<Db, "user"> | Prisma.TransactionClient,
  { email, role, name, password }: { email: string; role: Role; name?: string; password?: string },
): Promise<BackOfficeUser> {
  const address = emailAddress.parse(email);
  if (!ROLES.includes(role)) throw new Error(`unknown role ${role}`);
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  return db.user.upsert({
    where: { email: address },
    create: { email: address, role, name: name ?? null, passwordHash: passwordHash ?? null },
    update: {
      role,
      disabledAt: null,
      ...(name === undefined ? {} : { name }),
      ...(passwordHash === undefined ? {} : { passwordHash }),
    },
    select: { id: true, email: true, name: true, role: true },
  });
}
