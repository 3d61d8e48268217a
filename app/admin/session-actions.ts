"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/prisma";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/** Signs out: the database session goes, so the cookie is worthless even if kept. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = jar.get(name)?.value;
    if (token) await db().session.deleteMany({ where: { sessionToken: token } });
    jar.delete(name);
  }
  redirect("/admin/sign-in");
}
